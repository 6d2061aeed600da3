# 远程用户认证 (remote login) client, framed profile, written the way a
# student following the course's next lesson writes it: every message is
# struct.pack('i', n) + payload. Deliberately keeps the weaknesses: one
# recv(4) for the header, one recv(n) for the body, a strict decode,
# json.loads of that body, no check for b'', no handling of a reset or of
# the end of stdin. Reads the user name and the password with two input()
# calls and sends "user|password". A user name of q/Q quits.
import json
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
    header = conn.recv(4)
    data_length = struct.unpack('i', header)[0]
    data = conn.recv(data_length)
    return data


client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))

# 1. 获取欢迎信息
message = recv_data(client)
print(message.decode('utf-8'))

while True:
    # 2. 输入用户名和密码，发送到服务端校验
    user = input("请输入用户名(Q退出)：")
    if user.upper() == 'Q':
        break
    pwd = input("请输入密码：")
    send_data(client, "{}|{}".format(user, pwd))

    # 3. 校验结果
    reply = recv_data(client).decode('utf-8')
    print(reply)
    res = json.loads(reply)
    if res['status']:
        print("登录成功")
        break
    print("登录失败，请重试")

client.close()
