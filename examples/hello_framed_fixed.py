# Framed hello: read a whole request frame however it is cut, reply with one frame.
import socket
import sys

from framing import FrameError, frame, read_frame

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
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
