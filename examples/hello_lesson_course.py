# hello server the way the course writes it: one recv, strict decode, reply, close.
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    data = conn.recv(1024)
    print(data.decode('utf-8'))
    conn.sendall('hello world'.encode('utf-8'))
    conn.close()
