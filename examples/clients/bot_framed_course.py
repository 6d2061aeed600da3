# 智障客服 (support bot) client, framed profile, written the way the course's
# next lesson writes it: every message is struct.pack('i', n) + payload.
# Deliberately keeps the course's weaknesses: one recv(4) for the header and
# one recv(n) for the body, a strict .decode('utf-8'), no check for b'', no
# handling of a reset or of the end of stdin.
import socket
import struct
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001


def send_data(conn, content):
    data = content.encode('utf-8')
    header = struct.pack('i', len(data))
    conn.sendall(header)
    conn.sendall(data)


def recv_data(conn):
    # 获取头部信息：数据长度
    header = conn.recv(4)
    data_length = struct.unpack('i', header)[0]
    # 获取数据
    data = conn.recv(data_length)
    return data


client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))

# 连接成功后，获取系统欢迎信息
message = recv_data(client)
print(message.decode("utf-8"))

while True:
    content = input("请输入(q/Q退出)：")
    if content.upper() == 'Q':
        break
    send_data(client, content)

    # 等待，消息的回复
    reply = recv_data(client)
    print(reply.decode("utf-8"))

client.close()
