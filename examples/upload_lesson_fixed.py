# Upload server that survives real TCP: bad headers, early closes, resets; many uploads.
import sys

from server_kit import listen, receive_file

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
    # Bytes that came with the header belong to the body.
    return 'stored' if receive_file(conn, 'xxx.png', remaining, first[digits:]) else 'the client left early'


while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(10)
        print(receive(conn))
    except OSError as e:
        print('client error:', e)
    finally:
        conn.close()
