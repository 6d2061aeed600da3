# hello, lesson profile, corrected: socket.create_connection in a with
# block, read until the server closes (the reply has no length, so the
# server's close is what ends it), decode with an incremental UTF-8 decoder
# so that a character split across two segments is put back together, and
# report a reset or an early close in one line instead of a traceback.
# It waits up to 10 s for the reply to begin; a server that then keeps the
# connection open for IDLE seconds without sending more is taken as done.
import codecs
import socket
import sys

HOST = '127.0.0.1'
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
REQUEST = 'hello'.encode('utf-8')
IDLE = 3.0     # seconds of silence after the reply began that end the wait


def main():
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    parts = []
    try:
        with socket.create_connection((HOST, PORT), timeout=10) as sock:
            sock.sendall(REQUEST)
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                parts.append(decoder.decode(chunk))
                sock.settimeout(IDLE)   # once the reply has begun, wait less
    except ConnectionRefusedError:
        print('hello: no server on port {}'.format(PORT), file=sys.stderr)
        return 1
    except socket.timeout:
        reply = ''.join(parts) + decoder.decode(b'', final=True)
        if not reply:
            print('hello: no reply from the server within 10 s', file=sys.stderr)
            return 1
        print(reply, flush=True)
        print('hello: the server did not close after its reply', file=sys.stderr)
        return 0
    except (ConnectionResetError, BrokenPipeError):
        reply = ''.join(parts) + decoder.decode(b'', final=True)
        if reply:
            print(reply, flush=True)
        print('hello: the server reset the connection', file=sys.stderr)
        return 1
    reply = ''.join(parts) + decoder.decode(b'', final=True)
    if not reply:
        print('hello: the server closed without a reply', file=sys.stderr)
        return 1
    print(reply, flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
