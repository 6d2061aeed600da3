# An upload server whose clients send a JSON header {"filename": ..., "filesize": ...}; the
# server answers "ok" and then reads exactly filesize bytes (robust: bad headers are refused,
# names are reduced to their base name, a cut-short upload is deleted, resets are survived).
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import json_upload_header, listen, receive_file  # noqa: E402  (examples/server_kit.py)

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    conn.settimeout(10)
    try:
        raw = conn.recv(1024)
        try:
            header, end = json.JSONDecoder().raw_decode(raw.decode('utf-8'))
            size, base = json_upload_header(header)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            continue
        conn.sendall(b'ok')
        rest = raw[len(raw.decode('utf-8')[:end].encode('utf-8')):]
        receive_file(conn, base, size, rest)
    except OSError:
        pass
    finally:
        conn.close()
