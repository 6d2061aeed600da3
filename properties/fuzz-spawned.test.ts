// The spawned target on real Python servers: crash with traceback, hang, busy loop in a forked
// child, path traversal, restarts, and the errors of a server that never listens.
import t from 'tap';
import type { Test } from 'tap';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { Runner } from '../src/harness/runner';
import { SpawnTarget } from '../src/harness/targets/spawn';
import { findProtocol, prepareDirFor } from '../src/protocols';
import type { Profile } from '../src/protocols/types';
import { botDefaults } from '../src/protocols/bot/settings';
import { TargetError } from '../src/harness/errors';
import { descendantPids, processGroupPids, tableAddress } from '../src/harness/proc';
import { REPLY_CAP } from '../src/harness/runner/context';
import { PY, PYTHON, SEED, survivors } from './helpers';

const ROOT = path.join(__dirname, '..');

async function fuzzScript(script: string, protocol: string, profile: Profile, only: string[], given?: unknown) {
  const p = findProtocol(protocol)!;
  const settings = given ?? p.defaults;
  const target = new SpawnTarget({ command: `${PY} ${script} {port}`, cwd: ROOT, prepareDir: prepareDirFor(p), startTimeoutMs: 10_000, keep: false });
  await target.start();
  try {
    const r = await new Runner(p, profile, settings, target, { seed: SEED, runs: 5, stepMs: 1000, timeLimitMs: 60_000, shrinkRuns: 10, shrinkMs: 2000, only }).run();
    return { r, target };
  } finally {
    await target.stop();
  }
}

t.test('a crash is reported with the Python traceback, and the server is restarted', async (t) => {
  const { r, target } = await fuzzScript('examples/bot_lesson_course.py', 'bot', 'lesson', ['bot.split-utf8', 'bot.welcome']);
  const split = r.clauses.find((c) => c.id === 'bot.split-utf8')!;
  t.equal(split.verdict, 'crash');
  t.match(split.stderrTail ?? '', /Traceback[\s\S]*UnicodeDecodeError/);
  t.equal(r.clauses.find((c) => c.id === 'bot.welcome')!.verdict, 'pass', 'the next clause runs on a fresh server');
  t.ok(target.restarts >= 1, `restarted ${target.restarts} times`);
});

t.test('a spin on b"" is a busy loop, even in a forked child; the whole group is killed', async (t) => {
  const { r } = await fuzzScript('properties/fixtures/forking_spinner.py', 'bot', 'lesson', ['bot.eof-closes']);
  t.equal(r.clauses[0].verdict, 'busy-loop', r.clauses[0].summary);
  // The polite session tells the spin by the server's CPU, without waiting out its 5 s step.
  const polite = r.polite!;
  t.equal(polite.verdict, 'busy-loop', polite.summary);
  t.match(polite.summary, /did not close the connection after the client's end of stream .*, spinning at full CPU for \d+ ms instead/);
  t.ok(polite.durationMs < 5000, `the polite session ended before its step (${polite.durationMs} ms)`);
  t.equal(polite.precondition, 'bot.eof-closes');
});

t.test('a server slow to close (sleeping, no CPU) still passes the polite session: only a spin ends its wait early', async (t) => {
  const { r } = await fuzzScript('properties/fixtures/slow_close_server.py', 'bot', 'lesson', ['bot.eof-closes']);
  const polite = r.polite!;
  t.equal(polite.verdict, 'pass', polite.summary);
  t.ok(polite.durationMs >= 2500, `the polite session waited for the close (${polite.durationMs} ms)`);
  // Its sessions' 1 s steps are shorter than its 2.5 s: a hang there, not a busy loop.
  t.equal(r.clauses[0].verdict, 'hang', r.clauses[0].summary);
});

t.test('a server that never answers a whole message is a hang, not a busy loop', async (t) => {
  // With no welcome to wait for, the client speaks first: then silence is a hang.
  const { r } = await fuzzScript('properties/fixtures/hang_server.py', 'bot', 'lesson', ['bot.reply-per-message'], { ...botDefaults, botWelcome: null });
  t.equal(r.clauses[0].verdict, 'hang', r.clauses[0].summary);
});

t.test('a server that never sends the welcome is a wrong answer, not a hang: the client has not spoken yet', async (t) => {
  const { r } = await fuzzScript('properties/fixtures/hang_server.py', 'bot', 'lesson', ['bot.welcome']);
  t.equal(r.clauses[0].verdict, 'wrong-answer', r.clauses[0].summary);
  t.match(r.clauses[0].summary, /sent nothing .* after the connection opened/);
});

t.test('path traversal is caught as an escape', async (t) => {
  const { r } = await fuzzScript('examples/upload_framed_unsafe.py', 'upload', 'framed', ['upload.framed.path-traversal']);
  t.equal(r.clauses[0].verdict, 'escape', r.clauses[0].summary);
});

t.test('the single-shot course upload server is restarted after each upload', async (t) => {
  const { r, target } = await fuzzScript('examples/upload_lesson_course.py', 'upload', 'lesson', ['upload.store', 'upload.serves-many']);
  t.equal(r.clauses[0].verdict, 'pass', 'every upload stored, one server process each');
  t.equal(r.clauses[1].verdict, 'wrong-answer', 'serving one upload only is ADVISORY');
  t.equal(r.clauses[1].effectiveLevel, 'ADVISORY');
  t.ok(target.restarts >= 4, `${target.restarts} restarts`);
});

t.test('a server that never listens gives a clear error with its stderr', async (t) => {
  const p = findProtocol('bot')!;
  const dead = new SpawnTarget({ command: `${PY} properties/fixtures/exit_at_once.py {port}`, cwd: ROOT, startTimeoutMs: 5000, keep: false, prepareDir: prepareDirFor(p) });
  const e1 = await dead.start().then(() => null, (e: unknown) => e);
  t.ok(e1 instanceof TargetError);
  t.match((e1 as TargetError).message, /exited with code 1 before listening/);
  t.match((e1 as TargetError).stderrTail, /forgot it/);
  await dead.stop();
  const wrongPort = new SpawnTarget({ command: `${PY} properties/fixtures/no_port_server.py {port}`, cwd: ROOT, startTimeoutMs: 1500, keep: false });
  const e2 = await wrongPort.start().then(() => null, (e: unknown) => e);
  t.match((e2 as TargetError).message, /did not listen on port \d+ within 1.5 s \(it listens on port \d+ instead/);
  t.throws(() => new SpawnTarget({ command: 'python3 server.py', cwd: ROOT, startTimeoutMs: 1000, keep: false }), { code: 'ERR_NO_PORT' });
});

t.test('a server listening at another address only (::1, 127.0.0.2) is a clear error naming it, and is left running nowhere; one reachable at 127.0.0.1 too (both loopbacks, dual-stack ::) is ready', async (t) => {
  // The error comes once the address is seen at two checks in a row (a tenth of a second for
  // IPv6, a second or more for the other address); the start timeout only bounds a loaded machine.
  for (const [address, shown] of [['::1', '[::1]'], ['127.0.0.2', '127.0.0.2']]) {
    const target = new SpawnTarget({ command: `${PY} properties/fixtures/listens_at.py ${address} {port}`, cwd: ROOT, startTimeoutMs: 60_000, keep: false });
    const e = await target.start().then(() => null, (e: unknown) => e);
    t.ok(e instanceof TargetError, `${address}: a start error`);
    t.equal((e as TargetError).code, 'ERR_NOT_LISTENING');
    t.match((e as TargetError).message, `listens on port ${target.port} at ${shown} only, where a client connecting to 127.0.0.1`);
    t.same(survivors(`listens_at.py\0${address}\0${target.port}`), [], `${address}: the server was stopped`);
  }
  // Reachable at 127.0.0.1: ready, never "elsewhere", however the start falls between the checks.
  for (const command of ['asyncio_both_loopbacks.py {port}', 'listens_at.py :: {port}']) {
    for (let i = 0; i < 6; i++) {
      const target = new SpawnTarget({ command: `${PY} properties/fixtures/${command}`, cwd: ROOT, startTimeoutMs: 60_000, keep: false });
      const e = await target.start().then(() => null, (e: unknown) => e);
      await target.stop();
      if (e) t.fail(`${command} (start ${i + 1}): ${(e as Error).message}`);
    }
    t.pass(`${command}: six starts, each ready`);
  }
  // The table's hex (IPv4 one little-endian word, IPv6 four) in words.
  t.equal(tableAddress('0100007F'), '127.0.0.1');
  t.equal(tableAddress('00000000000000000000000001000000'), '::1');
  t.equal(tableAddress('B80D0120000000000000000005000000'), '2001:db8::5');
  t.equal(tableAddress('00000000000000000000000000000000'), '::');
});

/** A port that answers each connection with its number (the fixture's start count). */
async function startCounter(t: Test): Promise<{ port: number; count: () => number }> {
  let n = 0;
  const server = net.createServer((c) => c.end(String(++n)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => server.close());
  return { port: (server.address() as net.AddressInfo).port, count: () => n };
}

t.test('a port taken between sockspec\'s choice and the server\'s bind is chosen again, not blamed on the server', async (t) => {
  const counter = await startCounter(t);
  const target = new SpawnTarget({ command: `${PY} properties/fixtures/starts_once.py race ${counter.port} {port}`, cwd: ROOT, startTimeoutMs: 10_000, keep: false });
  await target.start();
  t.teardown(() => target.stop());
  t.equal(counter.count(), 2, 'started twice: the first start lost the port');
  t.ok(target.port > 0, `listening on port ${target.port}`);
  // With a port the user pinned, the same message is the server's (or the user's) to fix.
  const fresh = await startCounter(t);
  const pinned = new SpawnTarget({ command: `${PY} properties/fixtures/starts_once.py race ${fresh.port} {port}`, cwd: ROOT, startTimeoutMs: 10_000, keep: false, port: target.port + 1 });
  await t.rejects(pinned.start(), { code: 'ERR_NOT_LISTENING' });
  t.equal(fresh.count(), 1, 'started once');
});

t.test('a clause whose server will not start again says so: not run, with the reason, never a silent gap', async (t) => {
  const counter = await startCounter(t);
  const p = findProtocol('hello')!;
  const target = new SpawnTarget({ command: `${PY} properties/fixtures/starts_once.py once ${counter.port} {port}`, cwd: ROOT, startTimeoutMs: 10_000, keep: false });
  await target.start();
  t.teardown(() => target.stop());
  const r = await new Runner(p, 'lesson', p.defaults, target, { seed: SEED, runs: 2, stepMs: 1000, timeLimitMs: 60_000, only: ['hello.reply'] }).run();
  t.not(r.polite?.verdict, 'pass', 'the polite session fails (the server closes at once), so the clause restarts it');
  const c = r.clauses[0];
  t.equal(c.status, 'not-run', c.summary);
  t.match(c.summary, /^not run: the server exited with code 1 before listening on port \d+/);
  t.notOk(r.complete, 'the run is not complete');
});

t.test('stop() leaves no process and no sandbox behind', async (t) => {
  const target = new SpawnTarget({ command: `${PY} properties/fixtures/forking_spinner.py {port}`, cwd: ROOT, startTimeoutMs: 5000, keep: false });
  await target.start();
  const root = target.sandbox!.root;
  const pid = (target as unknown as { child: { pid: number } }).child.pid;
  await target.stop();
  t.same(processGroupPids(pid), [], 'process group gone');
  t.notOk(existsSync(root), 'sandbox removed');
});

t.test('a server that floods after the client ends is reported as a flood, without buffering it', async (t) => {
  const { r } = await fuzzScript('properties/fixtures/flood_server.py', 'bot', 'lesson', ['bot.eof-closes']);
  t.equal(r.clauses[0].verdict, 'flood', r.clauses[0].summary);
  const kept = new Map<number, number>();
  for (const e of r.clauses[0].transcript ?? []) if (e.dir === 's2c' && e.kind === 'data') kept.set(e.conn, (kept.get(e.conn) ?? 0) + (e.bytes?.length ?? 0));
  t.ok(kept.size > 0, 'the flood is in the transcript');
  for (const [conn, n] of kept) t.ok(n <= REPLY_CAP, `connection ${conn} kept ${n} bytes: reading stopped at the cap of ${REPLY_CAP}`);
});

t.test('a forking server\'s children are all found, however long its children list (past one read of /proc)', async (t) => {
  // 900 children: a list of some 5 KB, more than the 4 KiB one read of /proc returns.
  const parent = spawn(PYTHON, ['-S', '-c', 'import os, signal, sys\nfor _ in range(900):\n    if os.fork() == 0:\n        signal.pause()\nprint("ready", flush=True)\nsignal.pause()'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.teardown(() => {
    for (const pid of descendantPids(parent.pid!) ?? []) process.kill(pid, 'SIGKILL');
  });
  await new Promise((r) => parent.stdout!.once('data', r));
  const found = descendantPids(parent.pid!);
  t.ok(found, 'this kernel lists children');
  t.equal(found?.length, 901, 'the parent and its 900 children');
});
