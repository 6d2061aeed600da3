# The same framed JSON-header upload, corrected: exact reads (a loop until n bytes or b''),
# a checked header, base names only, a cut-short upload deleted, resets survived.
import json
import os
import socket
import struct
import sys


def recv_exact(conn, n):
    buf = b''
    while len(buf) < n:
        data = conn.recv(n - len(buf))
        if not data:
            return None
        buf += data
    return buf


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    conn.settimeout(10)
    part = None
    try:
        head = recv_exact(conn, 4)
        if head is None:
            continue
        n = struct.unpack('<i', head)[0]
        if n < 0 or n > 65536:
            continue
        raw = recv_exact(conn, n)
        try:
            header = json.loads(raw.decode('utf-8'))
            size = header['filesize']
            base = os.path.basename(str(header['filename']).replace('\\', '/'))
            if not isinstance(size, int) or isinstance(size, bool) or size < 0 or base in ('', '.', '..'):
                raise ValueError('bad header')
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            continue
        part = base + '.part'
        got = 0
        with open(part, 'wb') as f:
            while got < size:
                data = conn.recv(min(65536, size - got))
                if not data:
                    break
                f.write(data)
                got += len(data)
        if got == size:
            os.replace(part, base)
            part = None
    except OSError:
        pass
    finally:
        if part and os.path.exists(part):
            os.remove(part)
        conn.close()
