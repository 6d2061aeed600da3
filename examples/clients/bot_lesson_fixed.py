# 智障客服 (support bot) client, lesson profile, corrected, written with
# selectors and a non-blocking socket.
#
# The lesson wire format has no message boundaries, so the client cannot
# know where a reply ends. What it does instead: after connecting, and after
# each message it sends, it waits until at least some bytes arrive, then
# keeps taking whatever else arrives until the line has been quiet for
# QUIET seconds, and prints it. Bytes are decoded with an incremental UTF-8
# decoder, so a character split across two segments is printed whole (and
# invalid UTF-8 becomes U+FFFD instead of a crash). b'', a reset or a broken
# pipe mean the server has gone: the client says so in one line and exits.
# Empty input lines are not sent (an empty send puts nothing on the wire and
# the server would have nothing to reply to). q/Q or the end of stdin ends
# the session: the client shuts down its side, prints what is still on its
# way, and closes.
import codecs
import selectors
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
QUIET = 0.15          # seconds of silence that end one read
FIRST_BYTE = 10.0     # seconds to wait for the first byte of a reply
DRAIN = 2.0           # seconds to wait for the server's close at the end

sys.stdin.reconfigure(encoding='utf-8', errors='surrogateescape')


class ServerGone(Exception):
    pass


RESET = 'the server reset the connection'
CLOSED = 'the server closed the connection'


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=10)
        self.sock.setblocking(False)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.sock, selectors.EVENT_READ)
        self.decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
        self.gone = None      # None while open, else CLOSED or RESET

    def _read_available(self, pending):
        """Append what the kernel holds now to pending; note a close or reset."""
        while self.gone is None:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                return
            except (ConnectionResetError, BrokenPipeError):
                self.gone = RESET
                return
            if not chunk:
                self.gone = CLOSED
                return
            pending.append(chunk)

    def read_reply(self, first_wait):
        """Wait up to first_wait for some bytes, then until QUIET passes with none.

        Returns the decoded text (possibly ''); self.gone tells whether the
        server went away meanwhile. What arrived before that is returned too.
        """
        pending = []
        if self.gone is None and self.sel.select(first_wait):
            self._read_available(pending)
            while self.gone is None and self.sel.select(QUIET):
                self._read_available(pending)
        text = self.decoder.decode(b''.join(pending))
        if self.gone is not None:
            text += self.decoder.decode(b'', final=True)
        return text

    def send(self, data):
        view = memoryview(data)
        while view:
            try:
                sent = self.sock.send(view)
            except BlockingIOError:
                self.sel.modify(self.sock, selectors.EVENT_WRITE)
                self.sel.select(10)
                self.sel.modify(self.sock, selectors.EVENT_READ)
                continue
            except (ConnectionResetError, BrokenPipeError):
                self.gone = RESET
                raise ServerGone(RESET)
            view = view[sent:]

    def finish(self):
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while self.gone is None:
            text = self.read_reply(DRAIN)
            if text:
                print(text, flush=True)
            elif self.gone is None:
                break           # nothing more within DRAIN: stop waiting
        self.close()

    def close(self):
        self.sel.close()
        self.sock.close()


def main():
    try:
        conn = Connection(PORT)
    except (ConnectionResetError, BrokenPipeError):
        print('bot: {}'.format(RESET), file=sys.stderr)
        return 1
    except OSError as e:
        print('bot: cannot connect to port {}: {}'.format(PORT, e), file=sys.stderr)
        return 1
    try:
        welcome = conn.read_reply(FIRST_BYTE)
        if welcome:
            print(welcome, flush=True)
        if conn.gone:
            raise ServerGone(conn.gone)
        while True:
            try:
                content = input('请输入(q/Q退出)：')
            except EOFError:
                break
            if content.upper() == 'Q':
                break
            if not content:
                continue
            conn.send(content.encode('utf-8', errors='surrogateescape'))
            reply = conn.read_reply(FIRST_BYTE)
            if reply:
                print(reply, flush=True)
            if conn.gone:
                raise ServerGone(conn.gone)
    except ServerGone as e:
        print('bot: {}'.format(e), file=sys.stderr)
        conn.close()
        return 1
    conn.finish()
    return 0


if __name__ == '__main__':
    sys.exit(main())
