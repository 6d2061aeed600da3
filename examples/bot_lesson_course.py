# The support bot the way the course writes it.
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    conn.sendall("欢迎使用xx系统，请输入您想要办理的业务！".encode("utf-8"))
    while True:
        data = conn.recv(1024)
        if not data:
            break
        text = data.decode("utf-8")
        conn.sendall("你说啥？".encode("utf-8"))
    conn.close()
