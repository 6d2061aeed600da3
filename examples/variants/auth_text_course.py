# The same assignment written the course's way: one recv is one attempt, strict decode,
# user, pwd = text.split(): it dies on malformed input, split characters and resets.
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    conn.sendall('Please log in: user password\n'.encode('utf-8'))
    while True:
        data = conn.recv(1024).decode('utf-8')
        user, pwd = data.split()
        ok = False
        with open('users.txt', encoding='utf-8') as f:
            for line in f:
                u, p = line.strip().split(':')
                if u == user and p == pwd:
                    ok = True
        if ok:
            conn.sendall(('Login OK, welcome %s\n' % user).encode('utf-8'))
            break
        conn.sendall(b'Wrong user or password\n')
    conn.close()
