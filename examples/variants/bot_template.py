# A bot with no welcome that echoes the message inside a template: "Hello, <message>!" (robust).
import codecs
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    try:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(('Hello, %s!' % decoder.decode(data)).encode('utf-8'))
    except OSError:
        pass
    finally:
        conn.close()
