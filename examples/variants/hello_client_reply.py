# A hello server from the other course version: it replies "Hello, client!" (robust).
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import listen  # noqa: E402  (examples/server_kit.py)

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(5)
        conn.recv(1024)
        conn.sendall(b'Hello, client!')
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(65536):
            pass
    except OSError:
        pass
    finally:
        conn.close()
