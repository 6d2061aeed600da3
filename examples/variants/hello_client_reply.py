# A hello server from the other course version: it replies "Hello, client!" (robust).
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
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
