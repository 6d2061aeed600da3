// The command line: usage errors exit 2 with one sentence, examples are classified, the same
// seed gives the same findings, and Ctrl-C leaves no child process or temporary folder.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processGroupPids } from '../src/harness/proc';
import { cliHere, cliProcess, PY, PYTHON, survivors, untilListening } from './helpers';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');

/** The command line in a process of its own: what a shell sees (its exit status). */
const sockspecProcess = (args: string[]) => cliProcess(args, 110_000);
/** The command line's answer, in this process (a node start costs seconds of a loaded machine). */
const sockspec = cliHere;

t.test('usage and setup errors: exit 2, one sentence, no stack trace', async (t) => {
  const cases: [string[], RegExp][] = [
    [['fuzz', '--protocol', 'chat', '--builtin', 'x'], /unknown protocol "chat"/],
    [['fuzz', '--protocol', 'bot', '--bogus'], /unknown flag --bogus/],
    [['fuzz', '--protocol', 'bot'], /give exactly one target/],
    [['fuzz', '--protocol', 'bot', '--profile', 'json', '--builtin', 'bot-reference'], /unknown profile "json"/],
    [['fuzz', '--protocol', 'bot', '--builtin', 'hello-reference'], /speaks hello/],
    [['fuzz', '--protocol', 'bot', '--runs', 'many', '--builtin', 'bot-reference'], /--runs takes a whole number/],
    [['fuzz', '--protocol', 'bot', '--spawn', 'python3 server.py'], /needs \{port\}/],
    [['fuzz', '--protocol', 'bot', '--spawn', 'no-such-command-xyz {port}'], /exited with code 127 before listening/],
    [['fuzz', '--protocol', 'bot', '--connect', 'nowhere.invalid:80'], /cannot resolve the host/],
    [['fuzz', '--protocol', 'bot', '--connect', 'localhost'], /--connect takes HOST:PORT/],
    [['fuzz', '--protocol', 'bot', '--connect', '127.0.0.1:1'], /nothing listens on 127.0.0.1:1/],
    [['fuzz', '--protocol', 'bot', '--builtin', 'bot-reference', '--clause', 'bot.nope'], /unknown clause "bot.nope"/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['fuzz', '--protocol', 'bot', '--bogus'], /unknown flag --bogus/],
  ];
  for (const [i, [args, re]] of cases.entries()) {
    // The answer is the command line's, in this process; the last two through a process of its
    // own, whose exit status is what a shell sees.
    const r = i >= cases.length - 2 ? sockspecProcess(args) : await sockspec(args);
    t.equal(r.code, 2, `${args.join(' ')} exits 2`);
    t.match(r.err, re);
    t.notMatch(r.err, /    at /, 'no stack trace');
  }
});

t.test('--help, --version and list', async (t) => {
  t.match((await sockspec(['--help'])).out, /sockspec fuzz --protocol/);
  t.match((await sockspec(['--version'])).out, /^\d+\.\d+\.\d+\n$/);
  const list = await sockspec(['list']);
  t.equal(list.code, 0);
  t.match(list.out, /bot\.split-utf8\s+lesson ROBUST, framed ROBUST/);
  t.match(list.out, /upload-course/);
  t.match(list.out, /client clauses \(fuzz-client[^\n]*\n(  [a-z]+\.client\.[^\n]*\n)+/, 'each protocol lists its client clauses');
  t.match(list.out, /bot\.client\.split-utf8\s+lesson ROBUST, framed ROBUST\s+faults: split-utf8/, 'with their levels and faults');
  t.match(list.out, /^faults \(how the clauses deliver bytes\):\n(  [a-z0-9-]+ +\S.*\n){11}/m, 'the fault table, every fault');
});

t.test('the same seed gives the same findings twice', async (t) => {
  const json = path.join(tmpdir(), `sockspec-cli-seed-${process.pid}.json`);
  t.teardown(() => rmSync(json, { force: true }));
  const run = async () => {
    await sockspec(['fuzz', '--protocol', 'auth', '--builtin', 'auth-course', '--seed', '5', '--runs', '6', '--step-timeout', '1000', '--json', json, '--quiet']);
    const j = JSON.parse(readFileSync(json, 'utf8')) as { clauses: { id: string; verdict: string; path?: string; counterexample?: unknown }[] };
    return j.clauses.map((c) => ({ id: c.id, verdict: c.verdict, path: c.path, counterexample: c.counterexample }));
  };
  t.same(await run(), await run());
});

t.test('Ctrl-C leaves no child process and no temporary folder behind', async (t) => {
  // A TMPDIR of its own, so folders of tests running in parallel do not count.
  const tmp = mkdtempSync(path.join(tmpdir(), 'cli-sigint-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  // A forking server (a child per connection) that passes: the run goes on until interrupted.
  // A copy under a name of its own: survivors() looks at the whole machine, where another test
  // file fuzzes the same example at the same time (its processes were once counted here).
  const server = path.join(tmp, `upper_forking_sigint_${process.pid}.py`);
  writeFileSync(server, readFileSync(path.join(ROOT, 'examples/trust/bot_upper_forking.py')));
  const child = spawn(process.execPath, [BIN, 'fuzz', '--protocol', 'bot', '--spawn', `${PY} ${server} {port}`, '--no-welcome', '--reply', 'any', '--runs', '1000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  // Wait until the run is under way (the polite session is over), then interrupt it.
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => /polite session: pass/.test(String(d)) && resolve()));
  const groups = survivors(server);
  t.ok(groups.length > 0, 'the server was running');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.equal(code, 130);
  // On a failure, each survivor's state and command (a CI log is all there is to go on).
  const states = (pids: number[]) => pids.map((p) => { try { return readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^(\d+) \((.*)\) (\S).*$/s, '$1 $3 $2'); } catch { return `${p} gone`; } });
  for (const pid of groups) {
    const left = processGroupPids(pid);
    t.same(left, [], `group ${pid} is gone${left.length ? `: ${states(left).join(', ')}` : ''}`);
  }
  t.same(readdirSync(tmp).filter((n) => n.startsWith('sockspec-')), [], 'no temporary folder left');
});

t.test('a server that never greets: one root finding, the clauses that need the welcome blocked, within a short limit', async (t) => {
  const r = await sockspec(['fuzz', '--protocol', 'bot', '--spawn', `${PY} properties/fixtures/hang_server.py {port}`, '--time-limit', '2', '--step-timeout', '1000', '--seed', '1']);
  t.equal(r.code, 1, 'the missing welcome is a finding');
  t.match(r.out, /bot\.welcome +MUST +FAIL: wrong-answer/);
  t.match(r.out, /sent nothing within 1000 ms after the connection opened/);
  t.match(r.out, /bot\.reply-per-message +MUST +blocked by bot\.welcome/);
  t.notMatch(r.out, /FAIL: hang/, 'a missing welcome is never a hang');
});

t.test('--time-limit too short for a slow server: incomplete (exit 4), never "passed", and says how to give it more time', async (t) => {
  const r = await sockspec(['fuzz', '--protocol', 'bot', '--spawn', `${PY} examples/trust/bot_slow_threaded.py {port}`, '--time-limit', '6', '--seed', '1']);
  t.equal(r.code, 4, r.out.slice(-600));
  t.match(r.out, /raised from 2000 ms for a slow server/);
  t.match(r.out, /The time limit \(6 s\) ran out before \d+ MUST\/ROBUST clause\(s\) had run their boundary cases: bot\./);
  t.match(r.out, /--time-limit 12/);
  t.match(r.out, /incomplete: no finding/);
  t.notMatch(r.out, /every MUST and ROBUST clause passed/);
});

t.test('--connect judges a server someone else runs (wire verdicts only)', async (t) => {
  const { freePort } = await import('../src/harness/targets/spawn');
  const port = await freePort();
  const server = spawn(PYTHON, ['-S', 'bot_lesson_fixed.py', String(port)], { cwd: path.join(ROOT, 'examples'), stdio: 'ignore' });
  t.teardown(() => server.kill('SIGKILL'));
  await untilListening(port);
  const r = await sockspec(['fuzz', '--protocol', 'bot', '--connect', `127.0.0.1:${port}`, '--seed', '3', '--runs', '5', '--step-timeout', '1000']);
  t.equal(r.code, 0, r.out.slice(-400));
  t.match(r.out, /against remote 127\.0\.0\.1:/);
});

t.test('--connect to an upload server: the clauses that must see its files are not run, so the run is incomplete (exit 4), never passed', async (t) => {
  const { freePort } = await import('../src/harness/targets/spawn');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'sockspec-cli-remote-upload-'));
  const server = spawn(PYTHON, ['-S', path.join(ROOT, 'examples', 'upload_lesson_fixed.py'), String(port)], { cwd: dir, stdio: 'ignore', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  t.teardown(() => {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  await untilListening(port);
  const r = await sockspec(['fuzz', '--protocol', 'upload', '--connect', `127.0.0.1:${port}`, '--seed', '3', '--runs', '2', '--step-timeout', '1000', '--record-dir', path.join(dir, 'rec')]);
  t.equal(r.code, 4, r.out.slice(-400));
  t.match(r.out, /upload\.store +MUST +not run/);
  t.match(r.out, /could not run on this target: upload\.store \(needs to see the server's files/);
  t.notMatch(r.out, /time limit \(/, 'not blamed on the time limit');
  t.match(r.out, /incomplete: no finding/);
});

t.test('a pinned port (--port) survives restarts of a server without SO_REUSEADDR', async (t) => {
  const { freePort } = await import('../src/harness/targets/spawn');
  const port = await freePort();
  // The course's hello server as students run it: without the SO_REUSEADDR line.
  const dir = mkdtempSync(path.join(tmpdir(), 'sockspec-cli-reuse-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const server = path.join(dir, 'server.py');
  writeFileSync(server, readFileSync(path.join(ROOT, 'examples', 'hello_lesson_course.py'), 'utf8').replace(/^.*SO_REUSEADDR.*\n/m, ''));
  t.notMatch(readFileSync(server, 'utf8'), /SO_REUSEADDR/);
  const r = await sockspec(['fuzz', '--protocol', 'hello', '--spawn', `${PY} ${server} ${port}`, '--port', String(port), '--seed', '3', '--runs', '5', '--step-timeout', '1000', '--record-dir', path.join(dir, 'rec')]);
  t.equal(r.code, 1, `findings, not a setup error: ${r.err}`);
  t.match(r.out, /hello\.invalid-utf8 +ROBUST +FAIL: crash/);
  t.match(r.out, /restarts: [1-9]/);
});

t.test('output piped into a reader that stops early ends quietly (no EPIPE stack trace) and leaves no temporary folder', async (t) => {
  // A TMPDIR of its own: the built-in server's sandbox was left behind by this early exit.
  const tmp = mkdtempSync(path.join(tmpdir(), 'cli-epipe-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  const child = spawn(process.execPath, [BIN, 'fuzz', '--protocol', 'hello', '--builtin', 'hello-reference', '--runs', '3', '--seed', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += String(d)));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.equal(code, 141, 'the status of a writer whose reader went away, not a verdict (the run was cut short)');
  t.notMatch(err, /EPIPE|    at /);
  t.same(readdirSync(tmp), [], 'no temporary folder is left');
});
