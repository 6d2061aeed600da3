// sockspec grade on a tiny class of hello servers built from examples/: one line per
// submission, the gradebook CSV and each submission's files; a submission sees only its own
// files; a fixed port is found and used; no entry and two entries are one sentence each; a
// re-run reuses what did not change and grades again what did; --report-only, --lang zh,
// --variant from where grade was typed, and flag mistakes caught before anything runs.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cliInProcess, PY, SEED, testTmp } from './helpers';
import { onPath, pythonInstall } from '../src/harness/python';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const EX = path.join(ROOT, 'examples');
const tmp = testTmp(t, 'grade-run');
const CLASS = path.join(tmp, 'class');
const OUT = path.join(tmp, 'out');
// The result key holds a hash of sockspec's sources: pinned, since others may edit them while
// this runs. Set for this whole file: its tests run one after the other, each grade in this
// process (grade's children, one per submission, inherit it).
Object.assign(process.env, { SOCKSPEC_BUILD_ID: 'grade-run-test', LANG: 'C', LC_ALL: '', PYTHONDONTWRITEBYTECODE: '1' });
// Its servers start as `python3 -S` (--python): what the tests' own programs run as (helpers' PY);
// plain python3, grade's default, is what the autograder test and npm start run.
const FLAGS = ['--protocol', 'hello', '--runs', '2', '--time-limit', '60', '--seed', String(SEED), '--jobs', '2', '--python', PY];

/** grade in this process; typed somewhere else than the project (`cwd`), in a process of its own. */
function grade(args: string[], cwd = ROOT) {
  if (cwd === ROOT) return cliInProcess(['grade', ...args], 100_000);
  return Promise.resolve(spawnSync(process.execPath, [BIN, 'grade', ...args], { cwd, encoding: 'utf8', timeout: 100_000 }));
}

/** A port below the ephemeral range that nothing listens on now (the pinned server binds it). */
async function quietPort(): Promise<number> {
  for (let p = 20000 + (process.pid % 9000); ; p++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return p;
  }
}

const OTHERS = ['course', 'pinned', 'nobody', 'twice', 'dana.py'];
let port = 0;

t.before(async () => {
  port = await quietPort();
  const mk = (d: string) => mkdirSync(path.join(CLASS, d), { recursive: true });
  mk('course');
  copyFileSync(path.join(EX, 'hello_lesson_course.py'), path.join(CLASS, 'course', 'server.py'));
  writeFileSync(path.join(CLASS, 'course', 'client.py'), "import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 8001))\ns.sendall(b'hello')\n");
  // The corrected server, refusing to start if it can see any other submission or any file not its own.
  mk('fixed');
  const snoop = `import os, sys\nhere = os.path.dirname(os.path.abspath(__file__))\nothers = sorted(set(${JSON.stringify(OTHERS)}) & set(os.listdir(os.path.dirname(here))))\nmine = sorted(os.listdir(here))\nif others or mine != ['server.py', 'server_kit.py']:\n    sys.exit('I can see %s %s' % (others, mine))\n`;
  writeFileSync(path.join(CLASS, 'fixed', 'server.py'), snoop + readFileSync(path.join(EX, 'hello_lesson_fixed.py'), 'utf8'));
  copyFileSync(path.join(EX, 'server_kit.py'), path.join(CLASS, 'fixed', 'server_kit.py'));
  mk('pinned');
  writeFileSync(path.join(CLASS, 'pinned', 'server.py'), readFileSync(path.join(EX, 'hello_lesson_course.py'), 'utf8').replace('int(sys.argv[1])', String(port)).replace('import sys\n', ''));
  mk('nobody');
  writeFileSync(path.join(CLASS, 'nobody', 'client.py'), "import socket\nsocket.socket().connect(('127.0.0.1', 8001))\n");
  mk('twice');
  copyFileSync(path.join(EX, 'hello_lesson_course.py'), path.join(CLASS, 'twice', 'a.py'));
  copyFileSync(path.join(EX, 'hello_lesson_course.py'), path.join(CLASS, 'twice', 'b.py'));
  copyFileSync(path.join(EX, 'hello_lesson_course.py'), path.join(CLASS, 'dana.py'));
});

const lineOf = (stdout: string, name: string) => stdout.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
const meta = (name: string) => JSON.parse(readFileSync(path.join(OUT, 'students', name, 'meta.json'), 'utf8')) as { gradedAt: string; port?: number; entry: string; exitCode?: number; command: string };

t.test('a class graded: one line each, the CSV, every file of every submission', async (t) => {
  const r = await grade([CLASS, ...FLAGS, '--out', OUT]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /sockspec grade: 6 submission\(s\), hello\/lesson, 2 at a time/);
  t.match(lineOf(r.stdout, 'fixed'), /14\/14 +every MUST and ROBUST clause passed/, 'it saw only its own files (else it would not start)');
  t.match(lineOf(r.stdout, 'course'), /\/14 +hello\.[\w.-]+: /, 'the first finding');
  t.match(lineOf(r.stdout, 'dana'), /\/14 +hello\./, 'a .py file directly in the class folder is a submission');
  t.match(lineOf(r.stdout, 'pinned'), /\/14 +hello\./, 'graded on its fixed port');
  t.match(lineOf(r.stdout, 'nobody'), /0\/14 +not graded: no \.py file in the submission binds a socket/);
  t.match(lineOf(r.stdout, 'twice'), /0\/14 +not graded: 2 \.py files bind a socket \(a\.py, b\.py\)/);
  t.match(r.stdout, /most failed: hello\./);
  t.equal(meta('pinned').port, port, 'the literal port was found');
  t.equal(meta('course').entry, 'server.py', 'the client is not the server');
  t.equal(meta('course').command, `${PY} server.py {port}`, 'started with --python, as the command stored says');

  const csv = readFileSync(path.join(OUT, 'scores.csv'), 'utf8').trim().split('\r\n');
  t.equal(csv[0], 'student,score,max_score,failed,first_finding');
  t.same(csv.slice(1).map((l) => l.split(',')[0]), ['course', 'dana', 'fixed', 'nobody', 'pinned', 'twice'], 'one row per student, by name');
  t.match(csv.find((l) => l.startsWith('fixed,')), /^fixed,14,14,0,$/);
  t.match(csv.find((l) => l.startsWith('nobody,')), /^nobody,0,14,,no \.py file/);

  for (const f of ['results.json', 'junit.xml', 'grading.json', 'index.html', 'meta.json']) t.ok(existsSync(path.join(OUT, 'students', 'course', f)), `course/${f}`);
  const run = JSON.parse(readFileSync(path.join(OUT, 'students', 'course', 'results.json'), 'utf8'));
  t.equal(run.target, 'course: server.py', 'named after the student, not the temporary copy');
  const recorded = run.clauses.filter((c: { recording?: string }) => c.recording);
  t.ok(recorded.length > 0);
  for (const c of recorded) t.ok(existsSync(path.join(OUT, 'students', 'course', c.recording)), `${c.recording} is next to the results`);
  t.match(JSON.parse(readFileSync(path.join(OUT, 'students', 'nobody', 'grading.json'), 'utf8')), { score: 0, max_score: 14, output: /binds a socket/ }, 'an ungraded submission still gets its autograder JSON');
  const html = readFileSync(path.join(OUT, 'index.html'), 'utf8');
  t.match(html, /href="students\/course\/index.html#f0-hello\./, 'the class report links to a finding');
  t.ok(existsSync(path.join(OUT, 'by-name.html')));
  t.ok(existsSync(path.join(OUT, 'class.json')));
  t.notOk(existsSync(path.join(CLASS, 'course', '__pycache__')), 'the submission folder is left as it was');
});

t.test('a re-run reuses every result; a resubmission is graded again, alone', async (t) => {
  const before = meta('fixed').gradedAt;
  const again = await grade([CLASS, ...FLAGS, '--out', OUT]);
  t.equal(again.status, 0, again.stderr);
  t.match(again.stdout, /\(4 from stored results\)/);
  for (const n of ['course', 'dana', 'fixed', 'pinned']) t.match(lineOf(again.stdout, n), /\(stored\)$/, `${n} from its stored result`);
  t.equal(meta('fixed').gradedAt, before, 'nothing graded again');
  appendFileSync(path.join(CLASS, 'course', 'server.py'), '# resubmitted\n');
  const resub = await grade([CLASS, ...FLAGS, '--out', OUT]);
  t.equal(resub.status, 0, resub.stderr);
  t.notMatch(lineOf(resub.stdout, 'course'), /stored/, 'the changed submission is graded again');
  for (const n of ['dana', 'fixed', 'pinned']) t.match(lineOf(resub.stdout, n), /\(stored\)$/);
  // A run that was incomplete (its boundary cases cut short on a busy machine) is no verdict to keep.
  const file = path.join(OUT, 'students', 'dana', 'meta.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), exitCode: 4 }));
  const retry = await grade([CLASS, ...FLAGS, '--out', OUT]);
  t.equal(retry.status, 0, retry.stderr);
  t.match(retry.stdout, /\(3 from stored results\)/);
  t.notMatch(lineOf(retry.stdout, 'dana'), /stored/, 'the incomplete one is graded again');
  t.ok(meta('dana').exitCode === 0 || meta('dana').exitCode === 1, `and stored with its verdict (exit ${meta('dana').exitCode})`);
});

t.test('--report-only and --lang zh: the report again in Chinese, nothing run', async (t) => {
  const r = await grade([CLASS, ...FLAGS, '--out', OUT, '--report-only', '--lang', 'zh']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /只用已保存的结果生成报告（4 份匹配）/);
  t.match(lineOf(r.stdout, 'nobody'), /未评分/);
  t.match(readFileSync(path.join(OUT, 'scores.csv'), 'utf8'), /^\ufeff学生,得分,满分,未通过,第一个问题\r\n/);
  t.match(readFileSync(path.join(OUT, 'index.html'), 'utf8'), /<html lang="zh-CN">/);
  const page = readFileSync(path.join(OUT, 'students', 'course', 'index.html'), 'utf8');
  t.match(page, /<html lang="zh-CN">/, "each submission's page is written again in the language asked for");
  t.match(page, /<b>DESCRIPTION<\/b> [^<]*[\u4e00-\u9fff]/, 'with the clauses in Chinese');
  const missing = await grade([CLASS, ...FLAGS, '--out', path.join(tmp, 'empty'), '--report-only']);
  t.equal(missing.status, 4, 'nothing stored: no verdicts');
  t.match(lineOf(missing.stdout, 'fixed'), /not graded yet \(no stored result\)/);
  // Graded with --python python3 -S: none of it is a grade for the default interpreter.
  const other = await grade([CLASS, ...FLAGS.slice(0, -2), '--out', OUT, '--report-only']);
  t.equal(FLAGS.slice(-2)[0], '--python');
  t.match(other.stdout, /from stored results only \(0 match\)/, 'another interpreter, another grade');
});

t.test('--variant and a relative --python from where grade was typed; --shard grades every n-th submission', async (t) => {
  writeFileSync(path.join(tmp, 'hello.json'), '{"reply": "hello world"}\n');
  // A venv's interpreter, as a teacher types it: a relative path, a link to the real one, in a folder with a space.
  const venv = path.join(tmp, 'my venv', 'bin');
  mkdirSync(venv, { recursive: true });
  symlinkSync(pythonInstall(onPath('python3')!)!.executable, path.join(venv, 'python'));
  const r = await grade([path.relative(tmp, CLASS), ...FLAGS.slice(0, -2), '--python', "'my venv/bin/python' -S", '--out', 'sharded', '--variant', 'hello.json', '--shard', '3/6'], tmp);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /1 submission\(s\)/);
  t.match(lineOf(r.stdout, 'fixed'), /14\/14/, 'the variant file was found by the child in its own folder, and the interpreter too');
  const stored = JSON.parse(readFileSync(path.join(tmp, 'sharded', 'students', 'fixed', 'meta.json'), 'utf8')) as { command: string };
  t.equal(stored.command, `'${path.join(venv, 'python')}' -S server.py {port}`, 'the interpreter by its absolute path, the link kept');
});

t.test('mistakes in the flags are one sentence before anything runs', async (t) => {
  const cases: [string[], RegExp][] = [
    [[CLASS, '--protocol', 'hello', '--runs', '0'], /--runs must be at least 1/],
    [[CLASS, '--protocol', 'hello', '--bogus'], /unknown flag --bogus/],
    [[CLASS, '--protocol', 'hello', '--spawn', 'python3 x.py'], /unknown flag --spawn/],
    [[CLASS, '--protocol', 'hello', '--lang', 'fr'], /--lang takes zh or en/],
    [[CLASS, '--protocol', 'hello', '--welcome', 'hi'], /--welcome is not a setting of hello/],
    [[path.join(tmp, 'nope'), '--protocol', 'hello'], /is not a folder of submissions/],
    [[CLASS], /grade needs --protocol/],
    [[CLASS, '--protocol', 'hello', '--out', CLASS], /--out must not be the folder of submissions/],
    [[CLASS, '--protocol', 'hello', '--python', 'no-such-python-xyz'], /--python no-such-python-xyz: no-such-python-xyz is not on PATH/],
    [[CLASS, '--protocol', 'hello', '--python', '/nowhere/venv/bin/python'], /\/nowhere\/venv\/bin\/python is not a file/],
    [[CLASS, '--protocol', 'hello', '--python', tmp], /is not a file/],
    [[CLASS, '--protocol', 'hello', '--python', ' '], /--python takes the command that runs a Python program/],
  ];
  // In this process: each is refused before any child starts.
  const { main } = await import('../src/cli');
  for (const [args, want] of cases) {
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void) => ({ write: (s: string) => (add(s), true), isTTY: false }) as never;
    const code = await main(['grade', ...args, ...(args.includes('--out') ? [] : ['--out', path.join(tmp, 'never')])], sink((s) => (out += s)), sink((s) => (err += s)));
    t.equal(code, 2, args.join(' '));
    t.match(err, want);
    t.equal(out, '', 'nothing said before the refusal');
  }
  t.notOk(existsSync(path.join(tmp, 'never')), 'nothing written');
});
