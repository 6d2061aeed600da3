# Framed support bot: one reply per whole frame, however the frames are cut or merged.
import socket
import sys

from server_kit import FrameError, frame, listen, read_frame

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.sendall(frame("欢迎使用xx系统，请输入您想要办理的业务！".encode("utf-8")))
        while True:
            message = read_frame(conn)
            if message is None:
                break
            conn.sendall(frame("你说啥？".encode("utf-8")))
    except (OSError, FrameError) as e:
        print("client error:", e)
    finally:
        conn.close()
