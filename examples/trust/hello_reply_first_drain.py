# hello server (asyncio streams) that answers first, then reads and ignores the request before closing.
# Corrected twin of hello_reply_first_nodrain.py: shut down our write side, drain to end of stream, close.
import asyncio
import sys

REPLY = b'Hello, client!'
DRAIN_SECONDS = 5


async def drain(reader):
    n = 0
    while True:
        piece = await reader.read(65536)
        if not piece:
            return n
        n += len(piece)


async def on_client(reader, writer):
    peer = writer.get_extra_info('peername')
    try:
        writer.write(REPLY)
        await writer.drain()
        writer.write_eof()  # FIN: the reply is complete
        try:
            got = await asyncio.wait_for(drain(reader), DRAIN_SECONDS)
            print(peer, 'sent', got, 'bytes, ignored')
        except asyncio.TimeoutError:
            print(peer, 'never finished sending, closing anyway')
    except (ConnectionError, OSError) as exc:
        print(peer, 'trouble:', exc)
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, OSError):
            pass


async def main():
    server = await asyncio.start_server(on_client, '127.0.0.1', int(sys.argv[1]), reuse_address=True)
    print('serving hello on', sys.argv[1])
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main())
