# An upload server whose clients send a JSON header {"filename": ..., "filesize": ...}; the
# server answers "ok" and then reads exactly filesize bytes (robust: bad headers are refused,
# names are reduced to their base name, a cut-short upload is deleted, resets are survived).
import json
import os
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(('127.0.0.1', int(sys.argv[1])))
sock.listen(5)
while True:
    conn, addr = sock.accept()
    conn.settimeout(10)
    name = None
    try:
        raw = conn.recv(1024)
        try:
            header, end = json.JSONDecoder().raw_decode(raw.decode('utf-8'))
            size = header['filesize']
            base = os.path.basename(str(header['filename']).replace('\\', '/'))
            if not isinstance(size, int) or isinstance(size, bool) or size < 0 or base in ('', '.', '..'):
                raise ValueError('bad header')
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            continue
        conn.sendall(b'ok')
        rest = raw[len(raw.decode('utf-8')[:end].encode('utf-8')):]
        name = base + '.part'
        got = 0
        with open(name, 'wb') as f:
            f.write(rest[:size])
            got = min(len(rest), size)
            while got < size:
                data = conn.recv(min(65536, size - got))
                if not data:
                    break
                f.write(data)
                got += len(data)
        if got == size:
            os.replace(name, base)
            name = None
    except OSError:
        pass
    finally:
        if name and os.path.exists(name):
            os.remove(name)
        conn.close()
