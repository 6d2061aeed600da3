# A bot with its own welcome and fixed reply that ends the session on "exit" (robust).
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
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
