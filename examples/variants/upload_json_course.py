# The JSON-header upload written the course's way: json.loads(recv(1024)), "ok", then a loop
# until the byte count matches. It dies on a bad header, spins on b'', and opens the client's
# file name as given (path traversal).
import json
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    header = json.loads(conn.recv(1024).decode('utf-8'))
    conn.send(b'ok')
    total = header['filesize']
    recv_size = 0
    with open(header['filename'], 'wb') as f:
        while recv_size != total:
            data = conn.recv(1024)
            f.write(data)
            recv_size += len(data)
    conn.close()
