# The same bot written the course's way: one recv is one message, decoded strictly.
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(('Hello, %s!' % data.decode('utf-8')).encode('utf-8'))
    conn.close()
