// Untrusted servers are confined and limited: hostile programs (properties/fixtures/hostile_*)
// cannot read a sibling submission, write into the tester's home, outlive the run, fill the
// disk or exhaust memory. Each is reported in words, and the run ends normally (exit 1).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { bubblewrapStatus, refusedAccesses } from '../src/harness/targets/confine';
import { formatSize, limitHit, parseSize, PidsCgroup } from '../src/harness/targets/limits';
import { SpawnTarget } from '../src/harness/targets/spawn';
import { childPids, descendantPids, namespaceAmong, namespacePids } from '../src/harness/proc';
import { onPath, pythonInstall } from '../src/harness/python';
import type { RunResult } from '../src/harness/runner/results';
import { PY, survivors, testTmp } from './helpers';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const FIXTURES = path.join(ROOT, 'properties', 'fixtures');
const work = testTmp(t, 'confinement');

/** One fuzz run of hello.reply against `script`, as a user would type it. */
function fuzz(name: string, script: string, flags: string[] = []) {
  const json = path.join(work, `${name}.json`);
  const args = ['fuzz', '--protocol', 'hello', '--spawn', `${PY} ${script} {port}`, '--clause', 'hello.reply', '--seed', '7', '--time-limit', '20', '--shrink-time', '1'];
  const r = spawnSync(process.execPath, [BIN, ...args, '--json', json, '--record-dir', path.join(work, `${name}-rec`), ...flags], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as RunResult) : undefined;
  return { code: r.status, out: r.stdout, err: r.stderr, pid: r.pid, result, clause: result?.clauses[0] };
}

function endsNormally(t: Pick<typeof import('tap'), 'equal' | 'notMatch'>, r: ReturnType<typeof fuzz>) {
  t.equal(r.code, 1, `exit 1 with the finding (stderr: ${r.err.trim() || 'none'})`);
  t.notMatch(r.err, /\n\s+at |internal error/, 'no stack trace');
}

t.test('bubblewrap runs here (.ci/run installs it)', async (t) => {
  const st = bubblewrapStatus();
  t.ok(st.ok, st.ok ? 'bwrap confines' : st.why);
});

t.test('what the machine answered is asked once per process tree: a parent hands it down, a shape of its own is asked again', async (t) => {
  // A child with a parent's answers: bubblewrap "unable" (this machine's bwrap would say it
  // runs, so the answer shows nothing was asked), prlimit's of a wrong shape (asked again).
  const code = `require(${JSON.stringify(path.join(ROOT, 'bin', 'ts-register.js'))});
const { bubblewrapStatus, hiddenEtc } = require(${JSON.stringify(path.join(ROOT, 'src', 'harness', 'targets', 'confine.ts'))});
const { hasPrlimit } = require(${JSON.stringify(path.join(ROOT, 'src', 'harness', 'targets', 'limits.ts'))});
const { probedOnce, PROBES_ENV } = require(${JSON.stringify(path.join(ROOT, 'src', 'harness', 'probes.ts'))});
const { studentEnv } = require(${JSON.stringify(path.join(ROOT, 'src', 'harness', 'python.ts'))});
const bw = bubblewrapStatus();
const prlimit = hasPrlimit();
let asked = 0;
const passing = probedOnce('passing', (v) => typeof v === 'number', () => ({ value: ++asked, lasting: false }));
const again = probedOnce('passing', (v) => typeof v === 'number', () => ({ value: ++asked, lasting: false }));
console.log(JSON.stringify({ bw, etc: hiddenEtc(), prlimit, passing, again, env: JSON.parse(process.env[PROBES_ENV]), student: PROBES_ENV in studentEnv() }));`;
  const given = { bubblewrap: { ok: false, why: 'handed down' }, hiddenEtc: ['--ro-bind', '/dev/null', '/etc/handed-down'], prlimit: 'yes' };
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, SOCKSPEC_PROBES: JSON.stringify(given) } });
  t.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout) as { bw: unknown; etc: string[]; prlimit: boolean; passing: number; again: number; env: Record<string, unknown>; student: boolean };
  t.same(seen.bw, given.bubblewrap, "the parent's bubblewrap answer is taken: bwrap was not started");
  t.same(seen.etc, given.hiddenEtc, 'and what of /etc it hides: /etc was not walked');
  t.equal(seen.prlimit, onPath('prlimit') !== undefined, 'an answer of another shape is asked again');
  t.equal(seen.env.prlimit, seen.prlimit, 'and the new answer is handed down in its place');
  t.same([seen.passing, seen.again, 'passing' in seen.env], [1, 2, false], 'an answer its probe marks as not lasting is not kept');
  t.equal(seen.student, false, "a student's program does not see them");
  // A garbled inheritance is no answer at all: this process's own probe decides.
  const garbled = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, SOCKSPEC_PROBES: '{not json' } });
  t.equal(garbled.status, 0, garbled.stderr);
  const fresh = JSON.parse(garbled.stdout) as { bw: unknown; etc: string[] };
  t.same(fresh.bw, bubblewrapStatus(), 'asked again, the same answer as this process got');
  t.ok(fresh.etc.includes('/etc/shadow'), '/etc walked again: its shadow file is hidden');
  // A list that is not what the walk makes (here it would bind the whole machine writable) is walked again.
  const bound = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, SOCKSPEC_PROBES: JSON.stringify({ hiddenEtc: ['--bind', '/', '/'] }) } });
  t.equal(bound.status, 0, bound.stderr);
  t.same(JSON.parse(bound.stdout).etc, fresh.etc, 'a foreign list is not taken: /etc is walked');
  // What grade and npm test ask before their children start: all three, or prlimit's alone unconfined.
  const ask = (isolation: string) => {
    const asked = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(ROOT, 'bin', 'ts-register.js'))});
require(${JSON.stringify(path.join(ROOT, 'src', 'harness', 'targets', 'spawn.ts'))}).probeConfinement(${JSON.stringify(isolation)});
console.log(process.env.SOCKSPEC_PROBES);`], { encoding: 'utf8', env: { ...process.env, SOCKSPEC_PROBES: '' } });
    t.equal(asked.status, 0, asked.stderr);
    return Object.keys(JSON.parse(asked.stdout)).sort();
  };
  t.same(ask('auto'), bubblewrapStatus().ok ? ['bubblewrap', 'hiddenEtc', 'prlimit'] : ['bubblewrap', 'prlimit'], 'confined: bubblewrap, /etc and prlimit, for the children');
  t.same(ask('none'), ['prlimit'], 'unconfined (--no-isolation): prlimit alone');
});

t.test("a server cannot read a sibling submission's file: the client gets nothing of it", async (t) => {
  const secret = `secret-of-bob-${process.pid}`;
  const klass = path.join(work, 'class');
  mkdirSync(path.join(klass, 'alice'), { recursive: true });
  mkdirSync(path.join(klass, 'bob'), { recursive: true });
  copyFileSync(path.join(FIXTURES, 'hostile_reads_sibling.py'), path.join(klass, 'alice', 'server.py'));
  writeFileSync(path.join(klass, 'bob', 'secret.txt'), secret);
  const r = fuzz('sibling', path.join(klass, 'alice', 'server.py'));
  endsNormally(t, r);
  t.equal(r.result?.isolation, 'bubblewrap', 'the results record the confinement');
  t.equal(r.clause?.verdict, 'crash');
  t.match(r.clause?.summary, `it tried to open ${path.join(klass, 'bob', 'secret.txt')}, outside its sandbox`);
  const everything = [r.out, r.err, readFileSync(path.join(work, 'sibling.json'), 'utf8'), ...readdirSync(path.join(work, 'sibling-rec')).map((f) => readFileSync(path.join(work, 'sibling-rec', f), 'latin1'))].join('\n');
  t.notOk(everything.includes(secret), 'the secret is nowhere in what the client got, the results or the recording');
});

t.test("a server cannot write into the tester's home: nothing appears there, and it is an escape naming the path", async (t) => {
  const target = path.join(homedir(), 'sockspec-confinement-was-here.txt');
  t.teardown(() => rmSync(target, { force: true }));
  t.notOk(existsSync(target), 'nothing there before');
  const r = fuzz('home', path.join(FIXTURES, 'hostile_writes_home.py'));
  endsNormally(t, r);
  t.notOk(existsSync(target), 'nothing there after');
  t.equal(r.clause?.verdict, 'escape');
  t.match(r.clause?.summary, `tried to write outside its working directory (the sandbox refused it): ${target}`);
  t.match(r.clause?.observed, `refused ${target} (0 bytes)`);
});

t.test('a fork bomb stops at the process limit, and sockspec leaves no process behind', async (t) => {
  const script = path.join(FIXTURES, 'hostile_fork_bomb.py');
  const r = fuzz('forks', script, ['--limit-procs', '16']);
  endsNormally(t, r);
  t.equal(r.clause?.verdict, 'crash');
  t.match(r.clause?.summary, 'it forked more than 16 processes (the process limit; --limit-procs raises it)');
  t.same(survivors(script), [], 'every child is gone, even those that left the process group');
  const cgroups = existsSync('/sys/fs/cgroup/pids') ? readdirSync('/sys/fs/cgroup/pids').filter((n) => n.startsWith(`sockspec-${r.pid}-`)) : [];
  t.same(cgroups, [], 'its cgroups are removed');
});

t.test('daemons a server leaves behind (double fork, setsid: reparented, in no group of its) are stopped with it', async (t) => {
  const script = path.join(FIXTURES, 'hostile_daemonizes.py');
  // Only a PID namespace (bwrap) or a pids cgroup (root) can find such a daemon: where neither is, it is not tested (and not left behind).
  t.teardown(() => survivors(script).forEach((pid) => process.kill(pid, 'SIGKILL')));
  const ways = [...(bubblewrapStatus().ok ? [[]] : []), ...(PidsCgroup.available() ? [['--no-isolation']] : [])];
  if (!ways.length) t.comment('neither bubblewrap nor a pids cgroup here: nothing can find a daemon that left the process group');
  for (const flags of ways) {
    const json = path.join(work, `daemons${flags.length}.json`);
    const r = spawnSync(process.execPath, [BIN, 'fuzz', '--protocol', 'hello', '--spawn', `${PY} ${script} {port}`, '--clause', 'hello.reply', '--seed', '7', '--runs', '3', '--json', json, ...flags], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    t.equal(r.status, 0, `${flags.join(' ') || 'confined'}: it serves correctly (stderr: ${r.stderr.trim() || 'none'})`);
    t.same(survivors(script), [], `${flags.join(' ') || 'confined'}: no daemon survives the run`);
  }
});

t.test('a server filling the disk stops at the file-size limit', async (t) => {
  const r = fuzz('disk', path.join(FIXTURES, 'hostile_fills_disk.py'), ['--limit-file', '4M']);
  endsNormally(t, r);
  t.equal(r.clause?.verdict, 'crash');
  t.match(r.clause?.summary, 'it tried to write more than 4 MiB into one file (the file-size limit; --limit-file raises it)');
  t.equal(r.result?.limits?.fileBytes, 4 << 20, 'the results record the limit');
});

t.test('a server taking 1 GiB for each client stops at a lower memory limit, and serves under the default', async (t) => {
  const served = fuzz('memory-default', path.join(FIXTURES, 'hostile_allocates.py'), ['--runs', '3']);
  t.equal(served.code, 0, `under the default 4 GiB it serves (stderr: ${served.err.trim() || 'none'})`);
  const r = fuzz('memory', path.join(FIXTURES, 'hostile_allocates.py'), ['--limit-mem', '256M', '--report', path.join(work, 'report')]);
  endsNormally(t, r);
  t.equal(r.clause?.verdict, 'crash');
  t.match(r.clause?.summary, 'it ran out of memory at the limit of 256 MiB per process (--limit-mem raises it)');
  t.match(readFileSync(path.join(work, 'report', 'index.html'), 'utf8'), /Spawned servers: confined by bubblewrap .*limits: memory 256 MiB per process/, 'the report header says how it ran');
});

t.test('--no-isolation runs unconfined, and the limits still hold', async (t) => {
  const r = fuzz('unconfined', path.join(FIXTURES, 'hostile_fills_disk.py'), ['--limit-file', '4M', '--no-isolation']);
  endsNormally(t, r);
  t.equal(r.result?.isolation, 'none');
  t.match(r.clause?.summary, 'it tried to write more than 4 MiB into one file');
});

t.test('unconfined, a Python launcher (a pyenv shim) is replaced by the interpreter it picks, as confined', async (t) => {
  // A launcher of our own, first on PATH: it logs how it is run, then runs the real python3.
  const dir = mkdtempSync(path.join(tmpdir(), 'sockspec-launcher-'));
  const log = path.join(dir, 'log');
  writeFileSync(path.join(dir, 'python3'), `#!/bin/sh\necho "$*" >> ${log}\nexec ${pythonInstall(onPath('python3')!)!.executable} "$@"\n`, { mode: 0o755 });
  const oldPath = process.env.PATH;
  process.env.PATH = `${dir}:${oldPath}`;
  const target = new SpawnTarget({ command: 'python3 -S examples/hello_lesson_fixed.py {port}', cwd: ROOT, startTimeoutMs: 10_000, keep: false, isolation: 'none' });
  t.teardown(async () => {
    process.env.PATH = oldPath;
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await target.start();
  const runs = readFileSync(log, 'utf8').trim().split('\n');
  t.ok(runs.length >= 1 && runs.every((r) => r.startsWith('-c ')), `the launcher was asked which interpreter it runs, and never ran the server (${runs.length} run(s): ${runs.map((r) => r.slice(0, 30)).join('; ')})`);
  t.equal(target.health().exited, undefined, 'the server runs');
});

t.test('a confined server has a PID namespace of its own, seen from here; stop() empties it', async (t) => {
  const target = new SpawnTarget({ command: `${PY} properties/fixtures/forking_spinner.py {port}`, cwd: ROOT, startTimeoutMs: 10_000, keep: false });
  await target.start();
  const bwrap = (target as unknown as { child: { pid: number } }).child.pid;
  const ns = namespaceAmong(childPids(bwrap))!;
  t.ok(ns, `its own namespace ${ns}`);
  t.ok(namespacePids(ns).length >= 2, 'bwrap\'s init and the server are in it');
  // A walk down the tree from bwrap finds every process of the namespace (a scan of the machine agrees).
  const walked = new Set(descendantPids(bwrap) ?? []);
  t.same(namespacePids(ns).filter((p) => !walked.has(p)), [], 'the walk down the tree from bwrap finds every process of the namespace');
  t.not(target.cpuUse(), undefined, 'its CPU is measured through the namespace');
  await target.stop();
  t.same(namespacePids(ns), [], 'nothing left in it');
  t.notOk(existsSync(`/proc/${bwrap}`), 'bwrap is gone');
});

t.test('refused accesses and limits are read from what the program printed', async (t) => {
  const root = '/tmp/sockspec-x';
  const cwd = `${root}/jail/work`;
  const trace = (source: string, error: string) => `Traceback (most recent call last):\n  File "/s/server.py", line 3, in <module>\n    ${source}\n${error}`;
  t.same(refusedAccesses(trace("open('/root/x', 'w')", "OSError: [Errno 30] Read-only file system: '/root/x'"), cwd, root, ['/s']), [{ path: '/root/x', write: true, why: 'read-only file system' }]);
  t.same(refusedAccesses(trace("open(p, 'wb')", "FileNotFoundError: [Errno 2] No such file or directory: '/home/t/x'"), cwd, root, ['/s']), [{ path: '/home/t/x', write: true, why: 'not visible there' }]);
  t.same(refusedAccesses(trace('open(p)', "FileNotFoundError: [Errno 2] No such file or directory: '/s/../bob/secret.txt'"), cwd, root, ['/s']), [{ path: '/bob/secret.txt', write: false, why: 'not visible there' }]);
  t.same(refusedAccesses(trace("open('../x', 'w')", "FileNotFoundError: [Errno 2] No such file or directory: '../x'"), cwd, root, ['/s']), [], 'inside the sandbox is not refused: the snapshot sees what lands there');
  t.same(refusedAccesses(trace("open('/s/missing.txt')", "FileNotFoundError: [Errno 2] No such file or directory: '/s/missing.txt'"), cwd, root, ['/s']), [], 'a missing file in a folder it sees is only missing');
  t.same(refusedAccesses('/bin/sh: 1: cannot create /etc/x: Read-only file system', cwd, root, []), [{ path: '/etc/x', write: true, why: 'read-only file system' }]);

  const died = { code: 1, signal: null };
  t.equal(limitHit(died, trace('conn.recv(1024)', 'BlockingIOError: [Errno 11] Resource temporarily unavailable'), 0), undefined, 'EAGAIN of a non-blocking socket is no fork limit');
  t.equal(limitHit(died, trace('os.fork()', 'BlockingIOError: [Errno 11] Resource temporarily unavailable'), 0), 'procs');
  t.equal(limitHit(died, trace('threading.Thread(target=f).start()', "RuntimeError: can't start new thread"), 0), 'procs');
  t.equal(limitHit(died, trace('f.write(b)', 'OSError: [Errno 27] File too large'), 0), 'file');
  t.equal(limitHit({ code: null, signal: 'SIGXFSZ' }, '', 0), 'file');
  t.equal(limitHit(died, trace('data += conn.recv(n)', 'MemoryError'), 0), 'mem');
  t.equal(limitHit(died, trace('data.decode()', 'UnicodeDecodeError: ...'), 3), undefined, 'another crash after refused forks is that crash');

  t.equal(parseSize('256M', '--limit-mem'), 256 << 20);
  t.equal(parseSize('2G', '--limit-file'), 2 ** 31);
  t.equal(parseSize('64', '--limit-mem'), 64 << 20, 'a bare number is MiB');
  t.throws(() => parseSize('lots', '--limit-mem'), /--limit-mem takes a size like 512M or 4G, not "lots"/);
  t.equal(formatSize(2 ** 31), '2 GiB');
});
