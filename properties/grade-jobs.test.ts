// Fair under load: the same class gets the same verdict on every clause whether its
// submissions are graded one at a time or four at once on two cores. The class holds what
// is judged by time and CPU: a server that spins on b'' in a forked child (a busy loop, measured
// from /proc while the others load the machine: judged by CPU time, it was a hang there), the
// course's bot (crashes, twice: a classmate's copy) and a corrected bot that hard-codes its port.
import t from 'tap';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { onCore0, PY, SEED, started, testTmp } from './helpers';
import { cpuSecondsOf } from '../src/harness/proc';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const EX = path.join(ROOT, 'examples');
const tmp = testTmp(t, 'grade-jobs');
const CLASS = path.join(tmp, 'class');
const env = { ...process.env, SOCKSPEC_BUILD_ID: 'grade-jobs-test', LANG: 'C', PYTHONDONTWRITEBYTECODE: '1' };

async function quietPort(): Promise<number> {
  for (let p = 21000 + ((process.pid * 7) % 9000); ; p++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return p;
  }
}

function verdictsOf(out: string): Record<string, Record<string, string>> {
  const all: Record<string, Record<string, string>> = {};
  for (const name of readdirSync(path.join(out, 'students')).sort()) {
    const r = JSON.parse(readFileSync(path.join(out, 'students', name, 'results.json'), 'utf8')) as { clauses: { id: string; status: string; verdict: string; effectiveLevel: string }[] };
    all[name] = Object.fromEntries(r.clauses.map((c) => [c.id, `${c.status}/${c.verdict}/${c.effectiveLevel}`]));
  }
  return all;
}

t.test('--jobs 1 and --jobs 4 give every clause of every submission the same verdict', async (t) => {
  const port = await quietPort();
  for (const d of ['course', 'copy', 'fixed', 'spinner']) mkdirSync(path.join(CLASS, d), { recursive: true });
  copyFileSync(path.join(EX, 'bot_lesson_course.py'), path.join(CLASS, 'course', 'server.py'));
  copyFileSync(path.join(EX, 'bot_lesson_course.py'), path.join(CLASS, 'copy', 'server.py'));
  writeFileSync(path.join(CLASS, 'fixed', 'server.py'), readFileSync(path.join(EX, 'bot_lesson_fixed.py'), 'utf8').replace('listen(int(sys.argv[1]))', `listen(${port})`));
  copyFileSync(path.join(EX, 'server_kit.py'), path.join(CLASS, 'fixed', 'server_kit.py'));
  copyFileSync(path.join(ROOT, 'properties', 'fixtures', 'forking_spinner.py'), path.join(CLASS, 'spinner', 'server.py'));
  const runs: Record<string, Record<string, string>>[] = [];
  // The time limit is wall time: well past what these runs need (about 10 s), so that a loaded machine slows them without cutting them short.
  for (const jobs of [1, 4]) {
    const out = path.join(tmp, `jobs${jobs}`);
    const r = spawnSync(process.execPath, [BIN, 'grade', CLASS, '--protocol', 'bot', '--runs', '2', '--time-limit', '60', '--seed', String(SEED), '--jobs', String(jobs), '--out', out, '--python', PY], { cwd: ROOT, env, encoding: 'utf8', timeout: 100_000 });
    t.ok(r.status === 0 || r.status === 4, `--jobs ${jobs}: exit ${r.status} ${r.stderr}`);
    t.match(r.stdout, /fixed +17\/17/, `--jobs ${jobs}: the corrected bot passes on its fixed port (${port})`);
    runs.push(verdictsOf(out));
  }
  const [one, four] = runs;
  t.equal(one.spinner['bot.eof-closes'], 'fail/busy-loop/MUST', 'the spinner spins');
  t.match(one.course['bot.split-utf8'], /^fail\/crash/, 'the course bot crashes');
  t.equal(Object.keys(one).length, 4, 'four submissions graded');
  for (const name of Object.keys(one)) t.same(four[name], one[name], `${name}: the same verdicts four at a time`);
});

t.test('a busy loop demands a whole CPU even when it gets a third of one', async (t) => {
  // Three spinners on one core (taskset): each gets about a third of it. Judged by CPU time (the
  // share left to it) a spinner was under the busy-loop threshold; its demand is not.
  const procs: ChildProcess[] = [0, 1, 2].map(() => onCore0('print("up", flush=True)\nwhile True: pass'));
  t.teardown(() => {
    for (const p of procs) p.kill('SIGKILL');
  });
  await Promise.all(procs.map(started)); // the measured window is after python's start
  const pid = procs[0].pid!;
  const cpuTime = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(x[11]) + Number(x[12])) / 100;
  };
  const [d0, c0, w0] = [cpuSecondsOf([pid]), cpuTime(), Date.now()];
  await new Promise((r) => setTimeout(r, 1500)); // a measured window, not synchronisation
  const [d1, c1, wall] = [cpuSecondsOf([pid]), cpuTime(), (Date.now() - w0) / 1000];
  t.ok((c1 - c0) / wall < 0.5, `its CPU share is ${((c1 - c0) / wall).toFixed(2)}: under the threshold of 0.5`);
  t.ok((d1 - d0) / wall > 0.8, `its demand is ${((d1 - d0) / wall).toFixed(2)} of a CPU`);
});
