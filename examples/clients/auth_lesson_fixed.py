# 远程用户认证 (remote login) client, lesson profile, corrected.
#
# Unframed replies have no length, but the server's reply is one JSON
# object, and a JSON object says where it ends: the client keeps the
# decoded text in a buffer and uses json.JSONDecoder.raw_decode to take one
# complete object off the front, reading more while it is still incomplete.
# So a reply split into pieces, or coalesced with the tail of the greeting,
# is still parsed whole. The greeting itself has no end marker: the client
# takes what arrives until the line is quiet for QUIET seconds; any greeting
# text that arrives later (before the first '{') is printed as such.
# UTF-8 is decoded incrementally (a split character is put back together,
# invalid bytes become U+FFFD). b'', a reset or a broken pipe end the client
# with a one-line message instead of a traceback.
#
# stdin: two input() calls, the user name and then the password; a user
# name of q/Q quits; the end of stdin quits. Sends exactly "user|password".
import codecs
import json
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
QUIET = 0.15
REPLY_WAIT = 10.0

sys.stdin.reconfigure(encoding='utf-8', errors='surrogateescape')


class ServerGone(Exception):
    pass


def say(text):
    print(text, flush=True)


def fail(text):
    print('auth: ' + text, file=sys.stderr, flush=True)


def recv_some(sock, timeout, decoder):
    """One recv with a timeout: decoded text (may be '' while a character is
    incomplete), None on timeout, ServerGone on close or reset."""
    sock.settimeout(timeout)
    try:
        chunk = sock.recv(4096)
    except socket.timeout:
        return None
    except (ConnectionResetError, BrokenPipeError):
        raise ServerGone('the server reset the connection')
    if not chunk:
        raise ServerGone('the server closed the connection')
    return decoder.decode(chunk)


def read_greeting(sock, decoder):
    text = ''
    try:
        first = recv_some(sock, REPLY_WAIT, decoder)
        if first is None:
            return ''
        text = first
        while True:
            more = recv_some(sock, QUIET, decoder)
            if more is None:
                return text
            text += more
    except ServerGone:
        if text:
            say(text)           # print what did arrive before going
        raise


def read_json_reply(sock, decoder, buf):
    """Return (raw JSON text, parsed object, rest of buffer, text before the JSON)."""
    json_decoder = json.JSONDecoder()
    while True:
        start = buf.find('{')
        if start >= 0:
            try:
                obj, end = json_decoder.raw_decode(buf, start)
                return buf[start:end], obj, buf[end:], buf[:start]
            except json.JSONDecodeError:
                pass            # not complete yet: read more
        try:
            more = recv_some(sock, REPLY_WAIT, decoder)
        except ServerGone:
            if buf.strip():
                say(buf)        # print the incomplete reply before going
            raise
        if more is None:
            if buf.strip():
                say(buf)
            raise ServerGone('no complete JSON reply within {} s'.format(REPLY_WAIT))
        buf += more


def login(sock):
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    say(read_greeting(sock, decoder))
    buf = ''
    while True:
        try:
            user = input('请输入用户名(Q退出)：')
            if user.upper() == 'Q':
                return 0
            pwd = input('请输入密码：')
        except EOFError:
            fail('end of input, not logged in')
            return 1
        request = '{}|{}'.format(user, pwd).encode('utf-8', errors='surrogateescape')
        try:
            sock.sendall(request)
        except (ConnectionResetError, BrokenPipeError):
            raise ServerGone('the server reset the connection')
        raw, reply, buf, before = read_json_reply(sock, decoder, buf)
        if before.strip():
            say(before)         # the rest of the greeting, late
        say(raw)
        if isinstance(reply, dict) and reply.get('status') is True:
            say('登录成功')
            return 0
        say('登录失败，请重试')


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.settimeout(10)
        sock.connect(('127.0.0.1', PORT))
        return login(sock)
    except ServerGone as e:
        fail(str(e))
        return 1
    except (ConnectionResetError, BrokenPipeError):
        fail('the server reset the connection')
        return 1
    except OSError as e:
        fail('cannot talk to port {}: {}'.format(PORT, e))
        return 1
    finally:
        sock.close()


if __name__ == '__main__':
    sys.exit(main())
