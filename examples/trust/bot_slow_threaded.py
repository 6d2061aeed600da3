# Support bot, one thread per client, that thinks for a second before every reply.
# Correct twin of bot_slow_threaded_strict.py (this one decodes incrementally and never dies).
import codecs
import socket
import sys
import threading
import time

WELCOME = "欢迎使用xx系统，请输入您想要办理的业务！"
REPLY = "你说啥？"

online = {}


def serve(conn, addr):
    online[addr] = conn
    print(f"[+] {addr} connected, {len(online)} online")
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    try:
        conn.sendall(WELCOME.encode("utf-8"))
        while True:
            data = conn.recv(1024)
            if not data:
                print(f"[-] {addr} said bye")
                break
            text = decoder.decode(data)
            print(f"{addr}: {text}")
            time.sleep(1)  # pretend to be a busy human operator
            conn.sendall(REPLY.encode("utf-8"))
    except (ConnectionResetError, OSError) as e:
        print(f"[!] {addr} dropped: {e}")
    online.pop(addr, None)
    conn.close()


def main():
    port = int(sys.argv[1])
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(5)
    print(f"bot listening on {port}")
    while True:
        conn, addr = server.accept()
        t = threading.Thread(target=serve, args=(conn, addr), daemon=True)
        t.start()


if __name__ == "__main__":
    main()
