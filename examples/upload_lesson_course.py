# The upload server the way the course writes it: one client, then exit.
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
conn, addr = sock.accept()
data = conn.recv(1024)
total_file_size = int(data.decode('utf-8'))
file_object = open('xxx.png', mode='wb')
recv_size = 0
while True:
    data = conn.recv(1024)
    file_object.write(data)
    file_object.flush()
    recv_size += len(data)
    if recv_size == total_file_size:
        break
conn.close()
sock.close()
