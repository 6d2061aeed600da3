"""Helpers of the corrected examples: a listening socket, and the framed profile
(4-byte little-endian signed length before every message)."""
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
