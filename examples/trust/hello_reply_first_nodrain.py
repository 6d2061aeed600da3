# hello server that answers before reading and hangs up without reading the request.
# Fragile twin of hello_reply_first_drain.py: the unread request makes Linux reset the client.
import socket
import sys

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', int(sys.argv[1])))
srv.listen(5)
print('hello server on', sys.argv[1])
while True:
    conn, addr = srv.accept()
    print('hi', addr)
    try:
        conn.sendall('Hello, client!'.encode('utf-8'))
    except OSError as e:
        print('could not say hello:', e)
    conn.close()
