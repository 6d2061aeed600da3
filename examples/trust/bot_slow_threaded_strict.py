# Support bot, one thread per client, a second before every reply, strict decode of every recv.
# Fragile twin of bot_slow_threaded.py: a character split across two segments kills the thread
# (UnicodeDecodeError is not an OSError) and the connection is left open with nobody serving it.
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
    try:
        conn.sendall(WELCOME.encode("utf-8"))
        while True:
            data = conn.recv(1024)
            if not data:
                print(f"[-] {addr} said bye")
                break
            text = data.decode("utf-8")
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
