# hello, lesson profile, written the way the course writes it.
# Deliberately keeps the course's weaknesses: the port is hard-coded,
# one recv(1024) is taken as the whole reply, and that one recv is
# decoded strictly. It does not catch a reset.
import socket

# 1. 向指定IP发送连接请求
client = socket.socket()
client.connect(('127.0.0.1', 8001))

# 2. 连接成功之后，发送消息
client.sendall('hello'.encode('utf-8'))

# 3. 等待，消息的回复（阻塞）
reply = client.recv(1024)
print(reply)
print(reply.decode('utf-8'))

# 4. 关闭连接
client.close()
