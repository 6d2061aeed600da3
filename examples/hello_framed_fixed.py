# Framed hello: read a whole request frame however it is cut, reply with one frame.
import socket
import sys

from server_kit import FrameError, frame, listen, read_frame

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(5)
        request = read_frame(conn)
        if request is not None:
            conn.sendall(frame(b'hello world'))
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(65536):
            pass
    except (OSError, FrameError) as e:
        print('client error:', e)
    finally:
        conn.close()
