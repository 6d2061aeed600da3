# A hello server that greets every client as soon as it connects, before reading anything
# (robust: it then ends its side and drains what the client sends, so nothing is reset).
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import listen  # noqa: E402  (examples/server_kit.py)

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.sendall(b'Hello, client!')
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(2)
        while conn.recv(4096):
            pass
    except OSError:
        pass
    finally:
        conn.close()
