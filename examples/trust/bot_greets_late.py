# Support bot on socketserver.ThreadingTCPServer that only says its welcome once you talk to it.
# No twin. Bytes are handled correctly, but the welcome is sent together with the first reply,
# not on connect, so against the course's protocol the welcome is missing.
import codecs
import socketserver
import sys

HUANYING = "欢迎使用xx系统，请输入您想要办理的业务！".encode("utf-8")
NISHUOSHA = "你说啥？".encode("utf-8")


class BotHandler(socketserver.BaseRequestHandler):
    def handle(self):
        who = "%s:%d" % self.client_address
        print("new customer", who)
        dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        greeted = False
        try:
            while True:
                chunk = self.request.recv(1024)
                if chunk == b"":
                    print("customer", who, "left")
                    return
                print(who, "->", dec.decode(chunk))
                if not greeted:
                    # say hello the first time they speak
                    self.request.sendall(HUANYING + NISHUOSHA)
                    greeted = True
                else:
                    self.request.sendall(NISHUOSHA)
        except OSError as err:
            print("customer", who, "broke:", err)


class BotServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with BotServer(("127.0.0.1", int(sys.argv[1])), BotHandler) as srv:
        print("late-greeting bot up on port", sys.argv[1])
        srv.serve_forever()
