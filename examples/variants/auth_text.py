# A login server in another wording: requests are "user password", users live in users.txt as
# "user:password" lines, and replies are text (robust: whole lines, any segmentation is fine
# for a single read, malformed input is refused, resets are survived).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from server_kit import listen  # noqa: E402  (examples/server_kit.py)


def users():
    table = {}
    with open('users.txt', encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\r\n')
            if ':' in line:
                user, pwd = line.split(':', 1)
                table[user] = pwd
    return table


sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    conn.settimeout(10)
    try:
        conn.sendall('Please log in: user password\n'.encode('utf-8'))
        pending = b''
        while True:
            data = conn.recv(1024)
            if not data:
                break
            pending += data
            try:
                text = pending.decode('utf-8')
            except UnicodeDecodeError as e:
                if e.start >= len(pending) - 3 and e.reason == 'unexpected end of data' and len(pending) < 4096:
                    continue  # a character cut in two: wait for its end
                conn.sendall(b'Bad request\n')
                pending = b''
                continue
            pending = b''
            parts = text.split(' ')
            if len(parts) == 2 and parts[0] and users().get(parts[0]) == parts[1]:
                conn.sendall(('Login OK, welcome %s\n' % parts[0]).encode('utf-8'))
                break
            conn.sendall(b'Wrong user or password\n')
    except OSError:
        pass
    finally:
        conn.close()
