# 文件上传 (file upload) client, lesson profile, corrected:
# socket.create_connection and with blocks. Sends the size as ASCII decimal
# digits, pauses so the size goes out alone (0.2 s instead of the course's
# 2 s), then exactly the file's bytes with sendall, then shuts down its
# sending side and waits (a few seconds at most) for the server to close, so
# that a server that closed or reset before taking every byte is reported
# instead of being taken for a finished upload. A close or reset is a
# one-line message, never a traceback.
#
# stdin: one input() call, the path of the file to upload.
import os
import socket
import sys
import time

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
PAUSE = 0.2
CHUNK = 64 * 1024
CLOSE_WAIT = 5.0


def upload(path):
    size = os.stat(path).st_size
    with open(path, 'rb') as f, socket.create_connection(('127.0.0.1', PORT), timeout=30) as sock:
        sock.sendall(str(size).encode('ascii'))
        time.sleep(PAUSE)                   # let the size travel alone
        sent = 0
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            sock.sendall(chunk)
            sent += len(chunk)
        if sent != size:
            raise OSError('the file changed while it was read ({} of {} bytes)'.format(sent, size))
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:                     # ENOTCONN: the server already reset it
            raise ConnectionResetError('reset before the end of the upload')
        # The server sends no reply; wait for its close to know it is done.
        sock.settimeout(CLOSE_WAIT)
        try:
            while sock.recv(4096):
                pass
        except socket.timeout:
            pass
    return size


def main():
    try:
        path = input('请输入要上传的文件：')
    except EOFError:
        print('upload: no file name on stdin', file=sys.stderr)
        return 1
    if not os.path.isfile(path):
        print('upload: no such file: {}'.format(path), file=sys.stderr)
        return 1
    try:
        size = upload(path)
    except ConnectionRefusedError:
        print('upload: no server on port {}'.format(PORT), file=sys.stderr)
        return 1
    except (ConnectionResetError, BrokenPipeError):
        print('upload: the server closed or reset the connection before the upload finished',
              file=sys.stderr)
        return 1
    except OSError as e:
        print('upload: {}'.format(e), file=sys.stderr)
        return 1
    print('上传完成: {} bytes'.format(size), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
