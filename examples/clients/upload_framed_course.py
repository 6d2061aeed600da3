# 文件上传 (file upload) client, framed profile: the course's day-21 transfer
# protocol. A type frame with JSON {"msg_type": "file", "file_name": NAME},
# then a file frame (struct.pack('i', size) + the raw bytes), then a frame
# whose payload is "close". Written the way the course writes it; it keeps
# the course's weakness of not handling a server that closes or resets.
import json
import os
import socket
import struct
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001


def send_data(conn, content):
    """ 发送数据（文本） """
    data = content.encode('utf-8')
    header = struct.pack('i', len(data))
    conn.sendall(header)
    conn.sendall(data)


def send_file(conn, file_path):
    """ 发送文件：先发文件大小，再分块发送文件内容 """
    file_size = os.stat(file_path).st_size
    header = struct.pack('i', file_size)
    conn.sendall(header)

    has_send_size = 0
    file_object = open(file_path, mode='rb')
    while has_send_size < file_size:
        chunk = file_object.read(2048)
        conn.sendall(chunk)
        has_send_size += len(chunk)
    file_object.close()


client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))

file_path = input("请输入要上传的文件：")
file_name = os.path.basename(file_path)

send_data(client, json.dumps({"msg_type": "file", "file_name": file_name}))
send_file(client, file_path)
send_data(client, "close")

client.close()
