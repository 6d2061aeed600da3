# Remote login (auth) server with the users hard-coded, written with selectors (non-blocking, one buffer per client).
# Robust twin of auth_hardcoded_course.py: bad bytes, a missing or extra '|', empty fields and resets all get
# status false or a clean close; one recv is one login attempt (lesson profile).
import json
import selectors
import socket
import sys

USERS = {"mei": "jasmine8", "bob": "builder42"}
GREETING = "欢迎使用xx系统".encode("utf-8")

sel = selectors.DefaultSelector()


class Client:
    def __init__(self, sock, addr):
        self.sock = sock
        self.addr = addr
        self.outbox = bytearray(GREETING)
        self.done = False  # logged in: close once the outbox is flushed


def answer(ok, msg):
    return json.dumps({"status": ok, "msg": msg}).encode("utf-8")


def check_login(raw):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False, "请求不是合法的UTF-8"
    if text.count("|") != 1:
        return False, "格式错误，应为 用户名|密码"
    user, password = text.split("|")
    if not user or not password:
        return False, "用户名和密码都不能为空"
    if user in USERS and USERS[user] == password:
        return True, "登录成功"
    return False, "用户名或密码错误"


def drop(cl, why):
    print("bye", cl.addr, why)
    try:
        sel.unregister(cl.sock)
    except (KeyError, ValueError):
        pass
    cl.sock.close()


def want(cl):
    ev = selectors.EVENT_READ
    if cl.outbox:
        ev |= selectors.EVENT_WRITE
    sel.modify(cl.sock, ev, cl)


def on_accept(lsock):
    try:
        sock, addr = lsock.accept()
    except OSError as e:
        print("accept failed:", e)
        return
    sock.setblocking(False)
    cl = Client(sock, addr)
    print("hello", addr)
    sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, cl)


def on_read(cl):
    try:
        data = cl.sock.recv(1024)
    except BlockingIOError:
        return
    except OSError as e:
        drop(cl, "error: %s" % e)
        return
    if not data:
        drop(cl, "closed by client")
        return
    if cl.done:
        return  # already logged in, we are only flushing before the close
    ok, msg = check_login(data)
    print(cl.addr, "attempt ->", ok, msg)
    cl.outbox += answer(ok, msg)
    cl.done = ok
    want(cl)


def on_write(cl):
    try:
        n = cl.sock.send(cl.outbox)
    except BlockingIOError:
        return
    except OSError as e:
        drop(cl, "error: %s" % e)
        return
    del cl.outbox[:n]
    if not cl.outbox and cl.done:
        drop(cl, "logged in")
        return
    want(cl)


def main():
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", int(sys.argv[1])))
    lsock.listen(16)
    lsock.setblocking(False)
    sel.register(lsock, selectors.EVENT_READ, None)
    print("auth (selectors) on port", sys.argv[1])
    while True:
        for key, mask in sel.select():
            if key.data is None:
                on_accept(key.fileobj)
                continue
            cl = key.data
            if mask & selectors.EVENT_READ:
                on_read(cl)
            if mask & selectors.EVENT_WRITE and cl.sock.fileno() != -1:
                on_write(cl)


if __name__ == "__main__":
    main()
