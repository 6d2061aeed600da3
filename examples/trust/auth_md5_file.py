# Remote login (auth) server, asyncio streams, users from auth_md5_users.txt in the current
# working directory (lines username,md5hex(password)). No twin; robust like auth_hardcoded.py.
import asyncio
import hashlib
import json
import sys

USERS_FILE = 'auth_md5_users.txt'  # relative on purpose: read from where the server runs
HI = '欢迎使用xx系统'


def load_users():
    table = {}
    with open(USERS_FILE, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or ',' not in line:
                continue
            name, digest = line.split(',', 1)
            table[name] = digest.lower()
    return table


def verdict(payload):
    """One recv = one login attempt. Returns (status, msg)."""
    try:
        s = payload.decode('utf-8')
    except UnicodeDecodeError:
        return False, 'bad encoding'
    parts = s.split('|')
    if len(parts) != 2:
        return False, 'expected username|password'
    name, secret = parts
    if name == '' or secret == '':
        return False, 'username and password must not be empty'
    try:
        users = load_users()
    except OSError as e:
        print('cannot read', USERS_FILE, e, file=sys.stderr)
        return False, 'user database unavailable'
    if users.get(name) == hashlib.md5(secret.encode('utf-8')).hexdigest():
        return True, 'welcome, ' + name
    return False, 'wrong username or password'


async def session(reader, writer):
    who = writer.get_extra_info('peername')
    print('[conn]', who)
    try:
        writer.write(HI.encode('utf-8'))
        await writer.drain()
        while True:
            chunk = await reader.read(1024)
            if not chunk:
                print('[eof]', who)
                break
            ok, why = verdict(chunk)
            print('[try]', who, ok, why)
            writer.write(json.dumps({'status': ok, 'msg': why}).encode('utf-8'))
            await writer.drain()
            if ok:
                break
    except (ConnectionError, OSError) as e:
        print('[err]', who, e)
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, OSError):
            pass


async def main(port):
    srv = await asyncio.start_server(session, '127.0.0.1', port, reuse_address=True)
    print('md5 auth listening on', port)
    async with srv:
        await srv.serve_forever()


asyncio.run(main(int(sys.argv[1])))
