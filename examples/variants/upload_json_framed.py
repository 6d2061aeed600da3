# The same framed JSON-header upload, corrected: exact reads (a loop until n bytes or b''),
# a checked header, base names only, a cut-short upload deleted, resets survived.
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import FrameError, json_upload_header, listen, read_frame, receive_file  # noqa: E402  (examples/server_kit.py)

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    conn.settimeout(10)
    try:
        raw = read_frame(conn, 65536)
        if raw is None:
            continue
        try:
            size, base = json_upload_header(json.loads(raw.decode('utf-8')))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            continue
        receive_file(conn, base, size)
    except (OSError, FrameError):
        pass
    finally:
        conn.close()
