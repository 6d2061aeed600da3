// Paced segments really arrive as separate reads on the server, and resets are told from FINs.
import t from 'tap';
import net from 'node:net';
import { Conn } from '../src/harness/conn';
import { Transcript } from '../src/harness/transcript';
import { everyByte, splitAt } from '../src/harness/chunk';
import { sockInfo, stopSockDiag, TCP_LISTEN } from '../src/harness/sockdiag';
import { childPids } from '../src/harness/proc';
import { cliHere, SEED, survivors, testTmp } from './helpers';

async function server(onSocket: (s: net.Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const srv = net.createServer({ allowHalfOpen: true }, onSocket);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { port: (srv.address() as net.AddressInfo).port, close: () => new Promise((r) => srv.close(() => r())) };
}

const open = (port: number) => Conn.open({ host: '127.0.0.1', port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: 2000, paceTimeoutMs: 2000, gapMs: 5 });

t.test('each paced segment is its own read on the server, even one byte at a time', async (t) => {
  const reads: number[] = [];
  let done!: () => void;
  const ended = new Promise<void>((r) => (done = r));
  const s = await server((sock) => {
    sock.on('data', (d) => reads.push(d.length));
    sock.on('end', () => {
      sock.end();
      done();
    });
  });
  const bytes = Buffer.from('你好, 世界! 1234');
  const conn = await open(s.port);
  await conn.sendSegments(splitAt(bytes, everyByte(bytes.length)));
  conn.end();
  await ended;
  conn.close();
  await s.close();
  t.equal(reads.length, bytes.length, 'one read per segment');
  t.ok(reads.every((n) => n === 1));
});

t.test('unpaced writes coalesce into fewer reads (the reason pacing exists)', async (t) => {
  const reads: number[] = [];
  let done!: () => void;
  const ended = new Promise<void>((r) => (done = r));
  const s = await server((sock) => {
    sock.pause();
    sock.on('end', () => {
      sock.end();
      done();
    });
    setImmediate(() => {
      sock.on('data', (d) => reads.push(d.length));
      sock.resume();
    });
  });
  const conn = await open(s.port);
  for (const seg of splitAt(Buffer.from('abcdefgh'), everyByte(8))) await conn.write(seg);
  conn.end();
  await ended;
  conn.close();
  await s.close();
  t.ok(reads.length < 8, `${reads.length} reads for 8 writes`);
});

t.test('an RST is reported as a reset even when Linux surfaces it as end of stream', async (t) => {
  for (let i = 0; i < 10; i++) {
    const s = await server((sock) => {
      sock.once('data', () => sock.write('hi', () => sock.resetAndDestroy()));
    });
    const conn = await open(s.port);
    await conn.write(Buffer.alloc(3000));
    await conn.waitForEnd(2000);
    t.ok(conn.wasReset && !conn.serverEnded, `run ${i}: reset seen`);
    conn.close();
    await s.close();
  }
  const s = await server((sock) => sock.once('data', () => sock.end('bye')));
  const conn = await open(s.port);
  await conn.write(Buffer.from('x'));
  await conn.waitForEnd(2000);
  t.ok(conn.serverEnded && !conn.wasReset, 'an orderly close is a FIN');
  conn.close();
  await s.close();
});

t.test('a FIN from a server that stops reading is seen while our bytes are still queued', async (t) => {
  // The server half-closes and never reads again: an empty write to tell FIN from RST would
  // wait behind 32 MiB that never drain, so the kernel's table is asked instead.
  const sockets: net.Socket[] = [];
  const s = await server((sock) => {
    sockets.push(sock);
    sock.pause();
    sock.end('bye');
  });
  const conn = await open(s.port);
  void conn.writeFlowing(Buffer.alloc(32 << 20));
  t.ok(await conn.waitForEnd(2000), 'the end of stream is classified');
  t.ok(conn.serverEnded && !conn.wasReset, 'as a FIN');
  t.equal(conn.received.toString(), 'bye');
  conn.reset();
  sockets.forEach((x) => x.destroy());
  await s.close();
});

t.test('the socket watcher, once stopped, starts again for the next question', async (t) => {
  const s = await server(() => undefined);
  t.teardown(stopSockDiag);
  t.equal((await sockInfo(s.port, 1))?.state, TCP_LISTEN, 'the listener is seen');
  stopSockDiag();
  t.equal((await sockInfo(s.port, 1))?.state, TCP_LISTEN, 'seen again after the stop, by a new helper');
  await s.close();
  t.equal(await sockInfo(s.port, 1), null, 'and its going');
});

t.test('commands run one after another in one process share one socket watcher', async (t) => {
  t.teardown(stopSockDiag);
  // This process's own helpers: another test file's (a process of its own) are not counted.
  const helpers = () => {
    const children = childPids(process.pid);
    return survivors('sockdiag.py').filter((pid) => children.includes(pid));
  };
  const fuzz = ['fuzz', '--protocol', 'hello', '--builtin', 'hello-reference', '--runs', '1', '--seed', String(SEED), '--record-dir', testTmp(t, 'pacing-watcher'), '--quiet'];
  t.equal((await cliHere(fuzz)).code, 0, 'the first command passes');
  const first = helpers();
  t.equal(first.length, 1, 'it asked the kernel through one helper, still running after the command');
  t.equal((await cliHere(fuzz)).code, 0, 'the second command passes');
  t.same(helpers(), first, 'the second command asked the same helper (before, each command stopped it and the next started one)');
});
