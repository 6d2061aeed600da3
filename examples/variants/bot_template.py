# A bot with no welcome that echoes the message inside a template: "Hello, <message>!" (robust).
import codecs
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import listen  # noqa: E402  (examples/server_kit.py)

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    try:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(('Hello, %s!' % decoder.decode(data)).encode('utf-8'))
    except OSError:
        pass
    finally:
        conn.close()
