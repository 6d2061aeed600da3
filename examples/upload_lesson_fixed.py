# Upload server that survives real TCP: bad headers, early closes, resets; many uploads.
import os
import socket
import sys

from server_kit import listen

MAX_SIZE = 16 * 1024 ** 3

sock = listen(int(sys.argv[1]))


def receive(conn):
    first = conn.recv(1024)
    digits = 0
    while digits < len(first) and digits < 20 and first[digits:digits + 1].isdigit():
        digits += 1
    if digits == 0:
        return 'not a size header'
    remaining = int(first[:digits])
    if remaining > MAX_SIZE:
        return 'too large'
    body = first[digits:][:remaining]  # bytes that came with the header belong to the body
    with open('.upload.part', 'wb') as f:
        f.write(body)
        remaining -= len(body)
        while remaining > 0:
            data = conn.recv(min(remaining, 65536))
            if not data:
                return 'the client left early'
            f.write(data)
            remaining -= len(data)
    os.replace('.upload.part', 'xxx.png')
    return 'stored'


while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(10)
        print(receive(conn))
    except OSError as e:
        print('client error:', e)
    finally:
        if os.path.exists('.upload.part'):
            os.remove('.upload.part')
        conn.close()
