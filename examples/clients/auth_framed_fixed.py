# 远程用户认证 (remote login) client, framed profile, corrected: a small
# class with a recv_exact helper that loops until it has exactly n bytes,
# so a header or body split anywhere (down to one byte per segment) is read
# whole, and the server closing inside a frame is noticed. Bodies are
# decoded only when complete. A close, a reset, a bad length or a reply
# that is not JSON ends the client with a one-line message.
#
# stdin: two input() calls, the user name and then the password; a user
# name of q/Q quits; the end of stdin quits. Sends one frame whose payload
# is exactly "user|password".
import json
import socket
import struct
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
MAX_FRAME = 16 * 1024 * 1024

sys.stdin.reconfigure(encoding='utf-8', errors='surrogateescape')


class ClientError(Exception):
    pass


class FramedClient:
    def __init__(self, host, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.settimeout(15)
        self.sock.connect((host, port))

    def recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            try:
                chunk = self.sock.recv(min(n - len(buf), 65536))
            except (ConnectionResetError, BrokenPipeError):
                raise ClientError('the server reset the connection')
            except socket.timeout:
                raise ClientError('the server sent nothing for 15 s')
            if not chunk:
                if buf:
                    raise ClientError('the server closed in the middle of a frame')
                raise ClientError('the server closed the connection')
            buf += chunk
        return bytes(buf)

    def recv_frame(self):
        (n,) = struct.unpack('<i', self.recv_exact(4))
        if n < 0 or n > MAX_FRAME:
            raise ClientError('bad frame length {}'.format(n))
        return self.recv_exact(n)

    def send_frame(self, payload):
        try:
            self.sock.sendall(struct.pack('<i', len(payload)) + payload)
        except (ConnectionResetError, BrokenPipeError):
            raise ClientError('the server reset the connection')

    def close(self):
        self.sock.close()


def run(client):
    print(client.recv_frame().decode('utf-8', errors='replace'), flush=True)
    while True:
        try:
            user = input('请输入用户名(Q退出)：')
            if user.upper() == 'Q':
                return 0
            pwd = input('请输入密码：')
        except EOFError:
            print('auth: end of input, not logged in', file=sys.stderr)
            return 1
        client.send_frame('{}|{}'.format(user, pwd).encode('utf-8', errors='surrogateescape'))
        raw = client.recv_frame().decode('utf-8', errors='replace')
        print(raw, flush=True)
        try:
            reply = json.loads(raw)
        except ValueError:
            raise ClientError('the reply is not JSON')
        if isinstance(reply, dict) and reply.get('status') is True:
            print('登录成功', flush=True)
            return 0
        print('登录失败，请重试', flush=True)


def main():
    try:
        client = FramedClient('127.0.0.1', PORT)
    except (ConnectionResetError, BrokenPipeError):
        print('auth: the server reset the connection', file=sys.stderr)
        return 1
    except OSError as e:
        print('auth: cannot connect to port {}: {}'.format(PORT, e), file=sys.stderr)
        return 1
    try:
        return run(client)
    except ClientError as e:
        print('auth: {}'.format(e), file=sys.stderr)
        return 1
    finally:
        client.close()


if __name__ == '__main__':
    sys.exit(main())
