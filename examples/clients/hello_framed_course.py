# hello, framed profile, written the way the course's next lesson (粘包)
# writes it: struct.pack('i', n) as a 4-byte length header, then the payload.
# Deliberately keeps the course's weaknesses: one recv(4) is taken as the
# whole header and one recv(n) as the whole body, the body is decoded
# strictly, and nothing catches a close or a reset.
import socket
import struct
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))

# 发送请求：先发4字节的长度，再发数据
data = 'hello'.encode('utf-8')
header = struct.pack('i', len(data))
client.sendall(header)
client.sendall(data)

# 接收回复：先收4字节的头部，得到数据长度，再收数据
header = client.recv(4)
data_length = struct.unpack('i', header)[0]
reply = client.recv(data_length)
print(reply.decode('utf-8'))

client.close()
