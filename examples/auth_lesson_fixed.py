# Login server that survives real TCP: split characters, bad bytes, malformed requests, resets.
import json
import socket
import sys

from server_kit import check_login, listen

sock = listen(int(sys.argv[1]))


def serve(conn):
    conn.sendall("欢迎使用xx系统".encode("utf-8"))
    held = b""
    while True:
        data = conn.recv(1024)
        if not data:
            return
        held += data
        try:
            text = held.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.reason == "unexpected end of data" and e.end == len(held) and len(held) < 65536:
                continue  # a character cut across reads: wait for its end
            held = b""
            conn.sendall(json.dumps({"status": False, "msg": "编码错误"}).encode("utf-8"))
            continue
        held = b""
        ok, msg = check_login(text)
        conn.sendall(json.dumps({"status": ok, "msg": msg}).encode("utf-8"))
        if ok:
            return


while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(30)
        serve(conn)
    except OSError as e:
        print("client error:", e)
    finally:
        conn.close()
