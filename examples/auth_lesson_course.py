# The login homework the way the course's style suggests.
import json
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    conn.sendall("欢迎使用xx系统".encode("utf-8"))
    while True:
        data = conn.recv(1024)
        user, pwd = data.decode("utf-8").split("|")
        ok = False
        with open("db.csv", encoding="utf-8") as f:
            for line in f:
                u, p = line.strip().split(",")
                if u == user and p == pwd:
                    ok = True
                    break
        if ok:
            conn.sendall(json.dumps({"status": True, "msg": "登录成功"}).encode("utf-8"))
            break
        conn.sendall(json.dumps({"status": False, "msg": "用户名或密码错误"}).encode("utf-8"))
    conn.close()
