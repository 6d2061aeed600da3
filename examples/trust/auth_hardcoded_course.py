# Remote login (auth) homework the way the course writes it, users hard-coded instead of db.csv.
# Fragile twin of auth_hardcoded.py: strict decode and an unguarded split('|') in the single-threaded
# accept loop, so bad input (or a reset) raises and kills the whole server.
import json
import socket
import sys

user_dict = {"mei": "jasmine8", "bob": "builder42"}

sk = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sk.bind(('127.0.0.1', int(sys.argv[1])))
sk.listen(5)

while True:
    conn, addr = sk.accept()
    conn.sendall('欢迎使用xx系统'.encode('utf-8'))
    while True:
        data = conn.recv(1024)
        if not data:
            break
        data = data.decode('utf-8')
        user, pwd = data.split('|')
        if user in user_dict and user_dict[user] == pwd:
            res = {'status': True, 'msg': '登录成功'}
            conn.sendall(json.dumps(res).encode('utf-8'))
            break
        else:
            res = {'status': False, 'msg': '用户名或密码错误'}
            conn.sendall(json.dumps(res).encode('utf-8'))
    conn.close()
