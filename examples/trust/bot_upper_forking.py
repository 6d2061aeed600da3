# Echo-ish "support bot": one forked child per connection, no welcome, shouts your message back upper-cased.
# No twin. Bytes are handled correctly (incremental decode, close on b''), but its reply is msg.upper(),
# which no fixed reply text or template can predict.
import codecs
import os
import signal
import socket
import sys

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # let the kernel reap finished children


def child(c, peer):
    d = codecs.getincrementaldecoder("utf-8")(errors="replace")
    try:
        while True:
            raw = c.recv(1024)
            if not raw:
                break
            msg = d.decode(raw)
            print("pid", os.getpid(), peer, "says", repr(msg), flush=True)
            c.sendall(msg.upper().encode("utf-8"))
    except OSError as e:
        print("pid", os.getpid(), "lost", peer, e, flush=True)
    finally:
        c.close()


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(10)
print("UPPER bot ready, port", sys.argv[1], flush=True)

while True:
    try:
        c, peer = s.accept()
    except InterruptedError:
        continue
    pid = os.fork()
    if pid == 0:
        try:
            s.close()
            child(c, peer)
        finally:
            os._exit(0)  # never fall back into the parent's accept loop
    c.close()  # the child has its own copy
