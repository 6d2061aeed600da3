# 远程用户认证 (remote login, the homework) client, lesson profile, written
# the way a student following the course writes it: one recv(1024) for the
# greeting and for each reply, a strict .decode('utf-8'), json.loads of that
# one recv, no check for b'', no handling of a reset or of the end of stdin.
# Reads the user name and the password with two input() calls and sends
# "user|password". A user name of q/Q quits (the homework: 重试（Q退出）).
import json
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))

# 1. 获取服务端发送的欢迎信息
message = client.recv(1024)
print(message.decode('utf-8'))

while True:
    # 2. 输入用户名和密码
    user = input("请输入用户名(Q退出)：")
    if user.upper() == 'Q':
        break
    pwd = input("请输入密码：")
    client.sendall("{}|{}".format(user, pwd).encode('utf-8'))

    # 3. 等待校验结果
    reply = client.recv(1024).decode('utf-8')
    print(reply)
    res = json.loads(reply)
    if res['status']:
        # 4. 登录成功
        print("登录成功")
        break
    print("登录失败，请重试")

client.close()
