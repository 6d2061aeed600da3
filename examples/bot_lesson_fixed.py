# Support bot that survives real TCP: split characters, bad bytes, resets.
import codecs
import socket
import sys

from server_kit import listen

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.sendall("欢迎使用xx系统，请输入您想要办理的业务！".encode("utf-8"))
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while True:
            data = conn.recv(1024)
            if not data:
                break
            print(decoder.decode(data), end="")
            conn.sendall("你说啥？".encode("utf-8"))
    except OSError as e:
        print("client error:", e)
    finally:
        conn.close()
