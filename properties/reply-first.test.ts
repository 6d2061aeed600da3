// hello servers that reply as soon as a client connects (the before_read variant): the client
// sends its request at once, as the course's does, so a server that closes without reading it
// resets the client, and that reset is seen every time; one that drains passes. Same seed,
// same verdicts, even on a loaded machine.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Conn } from '../src/harness/conn';
import { sockInfo, stopSockDiag } from '../src/harness/sockdiag';
import { Transcript } from '../src/harness/transcript';
import { cliInProcess, PYTHON, testTmp } from './helpers';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const TRUST = path.join(ROOT, 'examples', 'trust');
const NODRAIN = path.join(TRUST, 'hello_reply_first_nodrain.py');
const DRAIN = path.join(TRUST, 'hello_reply_first_drain.py');
// Replies on accept, closes without reading and catches nothing: an RST before its send kills it.
const BARE = path.join(__dirname, 'fixtures', 'hello_reply_first_bare.py');
const COURSE = path.join(ROOT, 'examples', 'hello_lesson_course.py');
const REPLY = 'Hello, client!';
const BEFORE_READ = ['--reply', REPLY, '--before-read'];

const tmp = testTmp(t, 'reply-first', stopSockDiag);


interface Event {
  dir: string;
  kind: string;
}
interface ClauseResult {
  id: string;
  status: string;
  verdict: string;
  effectiveLevel: string;
  transcript?: Event[];
}

let runs = 0;
/** One fuzz run through the command line; exit 1 is findings, 0 passed (4, incomplete, would need more time). */
async function fuzz(server: string, variant: readonly string[], seed: number): Promise<{ status: number | null; clauses: ClauseResult[]; out: string }> {
  const json = path.join(tmp, `run-${++runs}.json`);
  const args = ['fuzz', '--protocol', 'hello', ...variant, '--spawn', `${PYTHON} -S ${server} {port}`, '--seed', String(seed), '--runs', '3', '--step-timeout', '1000', '--shrink-time', '1', '--time-limit', '80', '--quiet', '--json', json, '--record-dir', path.join(tmp, 'rec')];
  // A process each: two runs side by side (and a CPU hog) are what the tests below load the machine with.
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const clauses = status === 0 || status === 1 ? (JSON.parse(readFileSync(json, 'utf8')) as { clauses: ClauseResult[] }).clauses : [];
  return { status, clauses, out };
}

const verdicts = (clauses: ClauseResult[]) => Object.fromEntries(clauses.map((c) => [c.id, c.verdict]));

async function server(onSocket: (s: net.Socket) => void, pauseOnConnect = false): Promise<{ port: number; close: () => Promise<void> }> {
  const srv = net.createServer({ allowHalfOpen: true, pauseOnConnect }, onSocket);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { port: (srv.address() as net.AddressInfo).port, close: () => new Promise((r) => srv.close(() => r())) };
}

const open = (port: number) => Conn.open({ host: '127.0.0.1', port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: 2000, paceTimeoutMs: 2000, gapMs: 5 });
const request = Buffer.from('hello');

/** Resolves once the kernel holds unread bytes on the server's socket (the request has arrived). */
async function requestArrived(sock: net.Socket): Promise<void> {
  for (;;) {
    const info = await sockInfo(sock.localPort!, sock.remotePort!);
    if (!info || info.unread > 0) return;
    await new Promise((r) => setImmediate(r));
  }
}

t.test('a server that closes without reading the request resets the client, in either order', async (t) => {
  // The request arrives before the server's close: the close itself is an RST.
  {
    // Paused from the start: the request stays unread in the kernel.
    const s = await server((sock) => void requestArrived(sock).then(() => sock.write(REPLY, () => sock.destroy())), true);
    const conn = await open(s.port);
    await conn.sendAhead([request]);
    t.ok(await conn.waitForEnd(2000), 'request first: the end is classified');
    t.ok(conn.wasReset && !conn.serverEnded, 'request first: a reset');
    t.equal(conn.received.toString(), REPLY, 'request first: the reply arrived');
    conn.close();
    await s.close();
  }
  // The server has closed (FIN) before the request arrives: its kernel answers it with an RST.
  {
    let closed!: () => void;
    const serverClosed = new Promise<void>((r) => (closed = r));
    const s = await server((sock) => {
      sock.on('close', () => closed());
      sock.end(REPLY, () => sock.destroy());
    });
    const conn = await open(s.port);
    conn.socket.pause(); // read nothing (not even the FIN) until the request has gone out
    await serverClosed;
    await conn.sendAhead([request]);
    conn.socket.resume();
    t.ok(await conn.waitForEnd(2000), 'close first: the end is classified');
    t.ok(conn.wasReset && !conn.serverEnded, 'close first: a reset after the FIN');
    t.equal(conn.received.toString(), REPLY, 'close first: the reply arrived');
    conn.close();
    await s.close();
  }
  // A server that closes its side and then drains: an orderly close.
  {
    const s = await server((sock) => {
      sock.end(REPLY);
      sock.resume();
      sock.on('end', () => sock.destroy());
    });
    const conn = await open(s.port);
    await conn.sendAhead([request]);
    t.ok(await conn.waitForEnd(2000), 'draining server: the end is classified');
    t.ok(conn.serverEnded && !conn.wasReset, 'draining server: a FIN');
    conn.close();
    await s.close();
  }
});

t.test('before_read: a server that never reads fails with reset, one that drains passes', async (t) => {
  const [bad, good] = await Promise.all([fuzz(NODRAIN, BEFORE_READ, 7), fuzz(DRAIN, BEFORE_READ, 7)]);
  t.equal(bad.status, 1, `the non-draining server has findings ${bad.out}`);
  for (const id of ['hello.reply', 'hello.next-client', 'hello.invalid-utf8', 'hello.oversize']) {
    const c = bad.clauses.find((x) => x.id === id);
    t.equal(c?.status, 'fail', `${id} fails`);
    t.equal(c?.verdict, 'reset', `${id}: verdict reset`);
    t.ok(c?.transcript?.some((e) => e.dir === 's2c' && e.kind === 'rst'), `${id}: the session shows the server's RST`);
  }
  // Nothing is sent to it there: nothing is left unread, nothing is reset.
  t.equal(verdicts(bad.clauses)['hello.silent-client'], 'pass', 'a silent client is not reset');

  t.equal(good.status, 0, `the draining server passes ${good.out}`);
  const judged = good.clauses.filter((c) => c.effectiveLevel !== 'ADVISORY');
  t.ok(judged.length >= 5, 'its MUST and ROBUST clauses were run');
  for (const c of judged) t.equal(c.status, 'pass', `${c.id} passes`);
});

t.test('learn still sees that a draining server replies before reading', async (t) => {
  const out = path.join(tmp, 'learned.json');
  const r = await cliInProcess(['learn', '--protocol', 'hello', '--spawn', `${PYTHON} -S ${DRAIN} {port}`, '--step-timeout', '1000', '--out', out], 100_000);
  t.equal(r.status, 0, `learn exits 0 ${r.stdout}${r.stderr}`);
  t.same(JSON.parse(readFileSync(out, 'utf8')), { protocol: 'hello', reply: REPLY, before_read: true });
});

t.test('the same seed gives the same verdicts on a loaded machine', async (t) => {
  // A spinning process takes a core for the whole test: the server's send, its close and our
  // RST are scheduled differently in every run. It checks now and then that this test is still
  // its parent, so a test killed on its timeout leaves no hog behind.
  const spin = `for (let i = 0; ; i++) if (i % 1e8 === 0 && process.ppid !== ${process.pid}) process.exit();`;
  const hog: ChildProcess = spawn(process.execPath, ['-e', spin], { stdio: 'ignore' });
  t.teardown(() => {
    hog.kill('SIGKILL');
  });
  // Two servers side by side, each run twice in a row with the same seed.
  const twice = async (server: string, variant: readonly string[]) => [await fuzz(server, variant, 18), await fuzz(server, variant, 18)];
  const [bare, course] = await Promise.all([twice(BARE, BEFORE_READ), twice(COURSE, [])]);
  for (const [name, [a, b]] of [
    ['a server that replies first', bare],
    ['the course server', course],
  ] as const) {
    t.equal(a.status, 1, `${name}: findings ${a.out}`);
    t.equal(b.status, 1, `${name}: findings again ${b.out}`);
    t.ok(a.clauses.length >= 6, `${name}: every clause was judged`);
    t.same(verdicts(b.clauses), verdicts(a.clauses), `${name}: identical verdicts`);
    t.comment(name, JSON.stringify(verdicts(a.clauses)));
  }
  t.equal(verdicts(bare[0].clauses)['hello.reset'], 'pass', 'the reset comes after its reply: it never races the send');
  t.equal(verdicts(course[0].clauses)['hello.reset'], 'crash', 'a reset after accept always reaches its recv');
});
