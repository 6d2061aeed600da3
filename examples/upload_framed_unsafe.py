# Framed transfer that trusts the client's file name and never checks for b''.
import json
import os
import socket
import struct
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
os.makedirs('files', exist_ok=True)


def recv_all(conn, n):
    data = b''
    while len(data) < n:
        data += conn.recv(n - len(data))
    return data


def read_frame(conn):
    (n,) = struct.unpack('i', recv_all(conn, 4))
    return recv_all(conn, n)


while True:
    conn, addr = sock.accept()
    while True:
        head = read_frame(conn)
        if head == b'close':
            break
        info = json.loads(head.decode('utf-8'))
        body = read_frame(conn)
        if info['msg_type'] == 'file':
            with open(os.path.join('files', info['file_name']), 'wb') as f:
                f.write(body)
    conn.close()
