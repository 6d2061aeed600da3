# hello, framed profile, corrected: the reply is read through
# sock.makefile('rb'), whose read(n) keeps reading until it has n bytes or
# the stream ends, so a header or a body split anywhere is read whole.
# The length is '<i' (4-byte little-endian signed), a negative or absurd
# length is refused, and a close or reset is reported in one line.
import socket
import struct
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
MAX_REPLY = 16 * 1024 * 1024


class ServerClosed(Exception):
    pass


def read_exactly(stream, n):
    data = stream.read(n)
    if data is None or len(data) < n:
        got = 0 if data is None else len(data)
        raise ServerClosed('the server closed after {} of {} bytes'.format(got, n))
    return data


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(10)
    try:
        sock.connect(('127.0.0.1', PORT))
        payload = 'hello'.encode('utf-8')
        sock.sendall(struct.pack('<i', len(payload)) + payload)
        stream = sock.makefile('rb')
        (length,) = struct.unpack('<i', read_exactly(stream, 4))
        if length < 0 or length > MAX_REPLY:
            print('hello: bad reply length {}'.format(length), file=sys.stderr)
            return 1
        body = read_exactly(stream, length)
        print(body.decode('utf-8', errors='replace'), flush=True)
        return 0
    except ServerClosed as e:
        print('hello: {}'.format(e), file=sys.stderr)
        return 1
    except ConnectionRefusedError:
        print('hello: no server on port {}'.format(PORT), file=sys.stderr)
        return 1
    except (ConnectionResetError, BrokenPipeError):
        print('hello: the server reset the connection', file=sys.stderr)
        return 1
    except socket.timeout:
        print('hello: no reply from the server within 10 s', file=sys.stderr)
        return 1
    finally:
        sock.close()


if __name__ == '__main__':
    sys.exit(main())
