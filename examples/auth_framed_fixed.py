# Framed login server: one attempt per frame, JSON reply frames.
import json
import socket
import sys

from server_kit import FrameError, frame, listen, read_frame

sock = listen(int(sys.argv[1]))


def check(request):
    try:
        parts = request.decode("utf-8").split("|")
    except UnicodeDecodeError:
        return False, "编码错误"
    if len(parts) != 2 or not parts[0]:
        return False, "格式错误"
    with open("db.csv", encoding="utf-8") as f:
        for line in f:
            name, _, password = line.rstrip("\r\n").partition(",")
            if name == parts[0] and password == parts[1]:
                return True, "登录成功"
    return False, "用户名或密码错误"


while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(30)
        conn.sendall(frame("欢迎使用xx系统".encode("utf-8")))
        while True:
            request = read_frame(conn, 64 * 1024)
            if request is None:
                break
            ok, msg = check(request)
            conn.sendall(frame(json.dumps({"status": ok, "msg": msg}).encode("utf-8")))
            if ok:
                break
    except (OSError, FrameError) as e:
        print("client error:", e)
    finally:
        conn.close()
