# A framed upload in another form: a 4-byte length, a JSON header {"filename", "filesize"},
# then the raw bytes. Written the course's way: recv(4) and recv(n) taken as whole, json.loads
# unchecked, a loop that spins on b''. It dies when a header is split or is not JSON.
import json
import os
import socket
import struct
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    n = struct.unpack('i', conn.recv(4))[0]
    header = json.loads(conn.recv(n).decode('utf-8'))
    total = header['filesize']
    recv_size = 0
    with open(os.path.basename(header['filename']), 'wb') as f:
        while recv_size != total:
            data = conn.recv(1024)
            f.write(data)
            recv_size += len(data)
    conn.close()
