# 文件上传 (file upload) client, framed profile (the day-21 transfer
# protocol), corrected. One connection carries: a type frame whose payload
# is JSON {"msg_type": "file", "file_name": NAME}, a file frame (4-byte
# little-endian signed length + the raw bytes, sent with socket.sendfile),
# and a frame whose payload is "close". Then it shuts down its sending side
# and waits a few seconds for the server's close, so that a server that
# went away early is reported. A close or reset is a one-line message,
# never a traceback. NAME is the file's base name.
#
# stdin: one input() call, the path of the file to upload.
import json
import os
import socket
import struct
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
HEADER = struct.Struct('<i')
MAX_LEN = 2 ** 31 - 1
CLOSE_WAIT = 5.0


def frame(payload):
    return HEADER.pack(len(payload)) + payload


def upload(path):
    size = os.path.getsize(path)
    if size > MAX_LEN:
        raise ValueError('the file is larger than a frame can say ({} bytes)'.format(size))
    name = os.path.basename(path)
    type_frame = frame(json.dumps({"msg_type": "file", "file_name": name}).encode('utf-8'))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with sock, open(path, 'rb') as f:
        sock.settimeout(30)
        sock.connect(('127.0.0.1', PORT))
        sock.sendall(type_frame)
        sock.sendall(HEADER.pack(size))
        sent = sock.sendfile(f, 0, size) if size else 0
        if sent != size:
            raise ValueError('sent {} of {} bytes'.format(sent, size))
        sock.sendall(frame(b'close'))
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:                     # ENOTCONN: the server already reset it
            raise ConnectionResetError('reset before the end of the upload')
        sock.settimeout(CLOSE_WAIT)
        try:
            while sock.recv(4096):
                pass
        except socket.timeout:
            pass
    return name, size


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
        name, size = upload(path)
    except ConnectionRefusedError:
        print('upload: no server on port {}'.format(PORT), file=sys.stderr)
        return 1
    except (ConnectionResetError, BrokenPipeError):
        print('upload: the server closed or reset the connection before the upload finished',
              file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print('upload: {}'.format(e), file=sys.stderr)
        return 1
    print('上传完成: {} ({} bytes)'.format(name, size), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
