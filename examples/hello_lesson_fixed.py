# hello server that survives real TCP: any bytes, resets, and requests larger than one read.
import socket
import sys

from server_kit import listen

sock = listen(int(sys.argv[1]))
while True:
    conn, addr = sock.accept()
    try:
        conn.settimeout(5)
        data = conn.recv(1024)
        print(data.decode('utf-8', errors='replace'))
        conn.sendall(b'hello world')
        # Close our side, then read what is left: closing with unread bytes would reset the client.
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(65536):
            pass
    except OSError as e:
        print('client error:', e)
    finally:
        conn.close()
