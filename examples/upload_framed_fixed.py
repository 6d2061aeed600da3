# Framed transfer (msg/file/close items): files land in files/<base name>, nowhere else.
import json
import os
import socket
import sys

from server_kit import FrameError, listen, read_frame

sock = listen(int(sys.argv[1]))
os.makedirs('files', exist_ok=True)


def safe_name(name):
    base = name.replace('\\', '/').split('/')[-1]
    if base in ('', '.', '..') or '\0' in base:
        raise FrameError('bad file name %r' % name)
    return base


def serve(conn):
    while True:
        head = read_frame(conn, 64 * 1024)
        if head is None or head == b'close':
            return
        try:
            info = json.loads(head.decode('utf-8'))
        except ValueError:
            raise FrameError('type frame is not JSON')
        if not isinstance(info, dict) or info.get('msg_type') not in ('msg', 'file'):
            raise FrameError('unknown type frame')
        if info['msg_type'] == 'file' and not isinstance(info.get('file_name'), str):
            raise FrameError('file without a name')
        body = read_frame(conn, 1 << 30)
        if body is None:
            raise FrameError('end of stream before the body')
        if info['msg_type'] == 'msg':
            print(body.decode('utf-8', errors='replace'))
        else:
            with open(os.path.join('files', safe_name(info['file_name'])), 'wb') as f:
                f.write(body)


while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(10)
        serve(conn)
    except (OSError, FrameError) as e:
        print('client error:', e)
    finally:
        conn.close()
