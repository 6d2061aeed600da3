# Framed login server: one attempt per frame, JSON reply frames.
import json
import socket
import sys

from server_kit import FrameError, check_login, frame, listen, read_frame

sock = listen(int(sys.argv[1]))


def check(request):
    try:
        return check_login(request.decode("utf-8"))
    except UnicodeDecodeError:
        return False, "编码错误"


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
