"""Helpers of the corrected examples: a listening socket, the framed profile (4-byte
little-endian signed length before every message), and storing an upload whole or not at all.
The examples in variants/ import it from the folder above."""
import os
import socket
import struct

MAX_FRAME = 1 << 20


class FrameError(Exception):
    pass


def recv_exact(conn, n):
    """Exactly n bytes, or None if the peer ended its stream first."""
    chunks = []
    while n > 0:
        chunk = conn.recv(min(n, 65536))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b''.join(chunks)


def read_frame(conn, limit=MAX_FRAME):
    header = recv_exact(conn, 4)
    if header is None:
        return None
    (length,) = struct.unpack('<i', header)
    if length < 0 or length > limit:
        raise FrameError('bad length %d' % length)
    body = recv_exact(conn, length)
    if body is None:
        raise FrameError('end of stream inside a frame')
    return body


def frame(payload):
    return struct.pack('<i', len(payload)) + payload


def listen(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('127.0.0.1', port))
    sock.listen(5)
    return sock


def receive_file(conn, name, size, first=b''):
    """Stores exactly `size` bytes (`first`, then what conn sends) as `name`. They go to a
    hidden .part file that is renamed only when complete: an upload cut short leaves nothing.
    True when stored."""
    part = os.path.join(os.path.dirname(name), '.%s.part' % os.path.basename(name))
    try:
        with open(part, 'wb') as f:
            f.write(first[:size])
            got = min(len(first), size)
            while got < size:
                data = conn.recv(min(65536, size - got))
                if not data:
                    return False
                f.write(data)
                got += len(data)
        os.replace(part, name)
        return True
    finally:
        if os.path.exists(part):
            os.remove(part)


def json_upload_header(header):
    """(size, base name) of an upload header {"filename": ..., "filesize": ...}; ValueError
    (or KeyError, TypeError) when it is not usable. The base name keeps the file here."""
    size = header['filesize']
    base = os.path.basename(str(header['filename']).replace('\\', '/'))
    if not isinstance(size, int) or isinstance(size, bool) or size < 0 or base in ('', '.', '..'):
        raise ValueError('bad header')
    return size, base


def check_login(text, users_file='db.csv'):
    """(ok, message) for a `user|password` attempt against lines `user,password`."""
    parts = text.split('|')
    if len(parts) != 2 or not parts[0]:
        return False, '格式错误：请发送 用户名|密码'
    with open(users_file, encoding='utf-8') as f:
        for line in f:
            name, _, password = line.rstrip('\r\n').partition(',')
            if name == parts[0] and password == parts[1]:
                return True, '登录成功'
    return False, '用户名或密码错误'
