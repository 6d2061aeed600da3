# 智障客服 (support bot) client, framed profile, corrected, written with
# asyncio streams: StreamReader.readexactly() waits for the whole 4-byte
# header and then the whole body however the bytes are segmented, and
# raises IncompleteReadError when the server closes inside a frame. Each
# body is decoded only once it is complete, so a character split across
# two segments cannot break the decode (invalid UTF-8 becomes U+FFFD).
# A close or reset ends the client with a one-line message. Empty input
# lines are not sent; q/Q or the end of stdin ends the session.
import asyncio
import struct
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
HEADER = struct.Struct('<i')   # 4-byte little-endian signed, like struct.pack('i', n) on x86
MAX_FRAME = 16 * 1024 * 1024
WELCOME_WAIT = 2.0

sys.stdin.reconfigure(encoding='utf-8', errors='surrogateescape')


class ProtocolError(Exception):
    pass


async def read_frame(reader):
    header = await reader.readexactly(HEADER.size)
    (length,) = HEADER.unpack(header)
    if length < 0 or length > MAX_FRAME:
        raise ProtocolError('bad frame length {}'.format(length))
    body = await reader.readexactly(length)
    return body.decode('utf-8', errors='replace')


async def write_frame(writer, payload):
    writer.write(HEADER.pack(len(payload)) + payload)
    await writer.drain()


async def session():
    reader, writer = await asyncio.open_connection('127.0.0.1', PORT, limit=MAX_FRAME)
    welcome = None
    try:
        # The welcome is read in a task: if it is not whole within
        # WELCOME_WAIT, the client prompts anyway and prints the welcome as
        # soon as it is complete (before the first reply, frames stay in
        # order), so a server that is slow to finish its welcome cannot
        # deadlock it.
        welcome = asyncio.create_task(read_frame(reader))
        await asyncio.wait({welcome}, timeout=WELCOME_WAIT)
        if welcome.done():
            print(welcome.result(), flush=True)
            welcome = None
        while True:
            try:
                content = await asyncio.to_thread(input, '请输入(q/Q退出)：')
            except EOFError:
                break
            if content.upper() == 'Q':
                break
            if not content:
                continue
            await write_frame(writer, content.encode('utf-8', errors='surrogateescape'))
            if welcome is not None:
                print(await welcome, flush=True)
                welcome = None
            print(await read_frame(reader), flush=True)
        if welcome is not None:         # quitting before any message: a last short wait
            await asyncio.wait({welcome}, timeout=WELCOME_WAIT)
            if welcome.done():
                print(welcome.result(), flush=True)
    finally:
        if welcome is not None:
            if welcome.done():
                if not welcome.cancelled():
                    welcome.exception()     # retrieved: no "never retrieved" warning
            else:
                welcome.cancel()
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


def main():
    try:
        asyncio.run(session())
    except asyncio.IncompleteReadError as e:
        if e.partial:
            print('bot: the server closed in the middle of a frame', file=sys.stderr)
        else:
            print('bot: the server closed the connection', file=sys.stderr)
        return 1
    except (ConnectionResetError, BrokenPipeError):
        print('bot: the server reset the connection', file=sys.stderr)
        return 1
    except ConnectionRefusedError:
        print('bot: no server on port {}'.format(PORT), file=sys.stderr)
        return 1
    except ProtocolError as e:
        print('bot: {}'.format(e), file=sys.stderr)
        return 1
    except OSError as e:
        print('bot: {}'.format(e), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
