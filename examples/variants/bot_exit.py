# A bot with its own welcome and fixed reply that ends the session on "exit" (robust).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import listen  # noqa: E402  (examples/server_kit.py)

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.sendall('Hi! Type exit to leave.'.encode('utf-8'))
        while True:
            data = conn.recv(1024)
            if not data or data.strip() == b'exit':
                break
            conn.sendall(b'OK')
    except OSError:
        pass
    finally:
        conn.close()
