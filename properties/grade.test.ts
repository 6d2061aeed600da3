// grade's pure parts, on strings and fixed results: which file is the server and which port it
// takes, who the submissions are, the pool that never runs two holders of one port together,
// progress estimates, the gradebook CSV, the class report (order, links, escaping, pictures)
// and the message tables (every word in both languages).
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { detectPort, findEntry, listSubmissions, sourceFiles, sourceHash } from '../src/grade/submissions';
import { runPool } from '../src/grade/pool';
import { bar, clock, estimateLeft, Progress } from '../src/grade/progress';
import { clauseShares, firstFinding, renderClassHtml, sortEntries, type ClassEntry } from '../src/harness/report/class';
import { csvField, toScoresCsv } from '../src/harness/report/csv';
import { toGrading } from '../src/harness/report/grading';
import { langFromEnv, MESSAGES, messages } from '../src/harness/report/i18n';
import type { RunResult } from '../src/harness/runner/results';
import { fixedResults } from './fixtures/results';
import { testTmp } from './tmp';

const en = messages('en');
const zh = messages('zh');
const tmp = testTmp(t, 'grade-unit');

const texts = (o: Record<string, string>) => new Map(Object.entries(o));
const COURSE = "import socket, sys\nsock = socket.socket()\nsock.bind(('127.0.0.1', int(sys.argv[1])))\nsock.listen(5)\n";
const CLIENT = "import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 8001))\n";

t.test('the entry: the one .py that serves and that no other file imports', async (t) => {
  t.same(findEntry(texts({ 'server.py': COURSE, 'client.py': CLIENT }), en), { entry: 'server.py', note: undefined }, 'a client is no server');
  const kit = "import socket\ndef listen(port):\n    s = socket.socket()\n    s.bind(('127.0.0.1', port))\n    return s\n";
  t.equal(findEntry(texts({ 'hello.py': 'import sys\nfrom server_kit import listen\nsock = listen(int(sys.argv[1]))\n', 'server_kit.py': kit }), en).entry, 'hello.py', 'a helper module that binds is not the program; the file importing it is');
  t.equal(findEntry(texts({ 'lab3/srv.py': COURSE, 'README.py': '# notes\n' }), en).entry, 'lab3/srv.py', 'found in a subfolder');
  t.equal(findEntry(texts({ 's.py': 'import socketserver\nclass H(socketserver.BaseRequestHandler): pass\n' }), en).entry, 's.py', 'socketserver counts');
  t.equal(findEntry(texts({ 'a.py': "import asyncio\nasyncio.run(asyncio.start_server(h, '127.0.0.1', 8001))\n" }), en).entry, 'a.py', 'asyncio counts');
  t.match(findEntry(texts({ 'a.py': COURSE, 'b.py': COURSE }), en).error, /2 \.py files bind a socket \(a\.py, b\.py\): say which is the server with --entry FILE/, 'two servers: ambiguous, in one sentence');
  t.match(findEntry(texts({ 'client.py': CLIENT }), en).error, /no \.py file in the submission binds a socket/);
  t.match(findEntry(texts({ 'x.py': '# s.bind(("", 8001))\nprint(1)\n' }), en).error, /binds a socket/, 'a commented-out bind is no server');
  t.match(findEntry(new Map(), en).error, /no \.py file in the submission/);
  t.same(findEntry(texts({ 'a.py': COURSE, 'b.py': COURSE }), en, 'b.py'), { entry: 'b.py' }, '--entry decides');
  t.same(findEntry(texts({ 'lab/b.py': COURSE, 'a.py': COURSE }), en, 'b.py'), { entry: 'lab/b.py' }, '--entry by file name, found in a subfolder');
  t.match(findEntry(texts({ 'my_server.py': COURSE }), en, 'server.py'), { entry: 'my_server.py', note: /no server\.py: graded my_server\.py/ }, 'a missing --entry falls back to the one server, and says so');
  t.match(findEntry(texts({ 'a.py': COURSE, 'b.py': COURSE }), en, 'server.py').error, /there is no server\.py/);
  t.match(findEntry(texts({ 'a.py': COURSE, 'b.py': COURSE }), zh).error, /个 \.py 文件绑定套接字/, 'in Chinese too');
});

t.test('the port: from sys.argv, else the literal the server binds', async (t) => {
  t.same(detectPort(COURSE), { argv: true });
  t.same(detectPort("import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 8001))\n"), { argv: false, port: 8001 });
  t.same(detectPort("s.bind(('', 9000)); s.listen(5); c.recv(1024)\n"), { argv: false, port: 9000 }, 'only the bind call, not the recv size on the same line');
  t.same(detectPort("HOST = '127.0.0.1'\nPORT = 8002\ns.bind((HOST, PORT))\n"), { argv: false, port: 8002 }, 'through names; the digits of an address are no port');
  t.same(detectPort("ADDR = ('0.0.0.0', 8003)\nsk.bind(ADDR)\n"), { argv: false, port: 8003 });
  t.same(detectPort("srv = socketserver.ThreadingTCPServer(('127.0.0.1', 8004), Handler)\n"), { argv: false, port: 8004 });
  t.same(detectPort("await asyncio.start_server(handle, '127.0.0.1', port=8005)\n"), { argv: false, port: 8005 });
  t.same(detectPort("SERVER_PORT = 8006\nserver = BotServer((HOST, SERVER_PORT), H)\n"), { argv: false, port: 8006 }, 'a PORT constant the call reaches some other way');
  t.same(detectPort("port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001\ns.bind(('', port))\n"), { argv: true }, 'argv wins over a default');
  t.same(detectPort("from server_kit import listen\nsock = listen(8007)\nsock.listen(128)\n"), { argv: false, port: 8007 }, "a helper's listen(PORT), not the backlog of sock.listen");
  t.same(detectPort("s.bind(('', int(input('port? '))))\n"), { argv: false }, 'no port to find');
});

t.test('submissions: one per folder or .py file, sorted; hidden folders and the output folder are no students', async (t) => {
  const dir = path.join(tmp, 'class');
  for (const d of ['bob', 'alice/lab', '.git', '__pycache__', 'reports']) mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, 'alice', 'lab', 'server.py'), COURSE);
  writeFileSync(path.join(dir, 'alice', 'notes.txt'), 'hi');
  mkdirSync(path.join(dir, 'alice', '__pycache__'));
  writeFileSync(path.join(dir, 'alice', '__pycache__', 'server.cpython-311.pyc'), 'x');
  writeFileSync(path.join(dir, 'bob', 'server.py'), COURSE);
  writeFileSync(path.join(dir, 'carol.py'), COURSE);
  writeFileSync(path.join(dir, 'bob.py'), COURSE);
  writeFileSync(path.join(dir, 'list.csv'), 'not a student');
  const subs = listSubmissions(dir, [path.join(dir, 'reports')]);
  t.same(subs.map((s) => [s.name, s.single]), [['alice', false], ['bob', false], ['bob.py', true], ['carol', true]], 'a file named like a folder keeps its .py');
  t.same(sourceFiles(subs[0]), ['lab/server.py', 'notes.txt'], 'no caches');
  const h = sourceHash(subs[0]);
  t.equal(sourceHash(subs[0]), h, 'stable');
  writeFileSync(path.join(dir, 'alice', 'notes.txt'), 'hi!');
  t.not(sourceHash(subs[0]), h, 'any change of a file changes it');
});

t.test('the pool: at most N at once, never two holders of one lock together, every job once', async (t) => {
  // Jobs finish when the test says so: no sleeps.
  const release: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const holding = new Set<string>();
  const clash: string[] = [];
  const jobs = ['a', 'p', 'b', 'p', 'c', 'p'].map((lock, i) => ({
    lock: lock === 'p' ? 'port 8001' : undefined,
    run: () =>
      new Promise<number>((resolve) => {
        running++;
        most = Math.max(most, running);
        if (lock === 'p' && holding.has('p')) clash.push(`job ${i}`);
        if (lock === 'p') holding.add('p');
        release.push(() => {
          running--;
          if (lock === 'p') holding.delete('p');
          resolve(i);
        });
      }),
  }));
  const order: number[] = [];
  const done = runPool(jobs, 3, (r) => order.push(r));
  while (order.length < jobs.length) {
    await new Promise((r) => setImmediate(r));
    release.shift()?.();
  }
  t.same(await done, [0, 1, 2, 3, 4, 5], 'results in job order');
  t.equal(most, 3, 'three at a time');
  t.same(clash, [], 'the fixed port is never held twice');
});

t.test('progress: clock, bar and the estimate of what is left', async (t) => {
  t.equal(clock(0), '0:00');
  t.equal(clock(65_000), '1:05');
  t.equal(clock(3_725_000), '1:02:05');
  t.equal(bar(1, 4, 8), '[##......]');
  t.equal(estimateLeft(10_000, 0, 5), undefined, 'no estimate before the first');
  t.equal(estimateLeft(10_000, 2, 4), 20_000, 'the pace so far over what remains');
  t.equal(estimateLeft(10_000, 2, 0), 0);
  const tty = { isTTY: true, text: '', write(s: string) { this.text += s; return true; } };
  const p = new Progress(tty as unknown as NodeJS.WritableStream, 3, en);
  p.finished('alice 14/14 passed', false);
  p.stop();
  t.match(tty.text, /^\r\x1b\[K\[\.{24}\] 0\/3 · 0:00 elapsed/, 'on a terminal a bar on the last line');
  t.match(tty.text, /\r\x1b\[Kalice 14\/14 passed\n\r\x1b\[K\[#{8}\.{16}\] 1\/3 · 0:00 elapsed/, 'a line above it as each finishes, then the bar again');
  const pipe = { isTTY: false, text: '', write(s: string) { this.text += s; return true; } };
  const q = new Progress(pipe as unknown as NodeJS.WritableStream, 3, en);
  q.finished('alice 14/14 passed', false);
  q.stop();
  t.equal(pipe.text, 'alice 14/14 passed\n', 'into a pipe or a file: the lines alone');
});

/** A graded entry from fixed results, renamed, with `failing` clause ids failing (crash) and the rest passing. */
function entry(name: string, failing: string[], extra: Partial<RunResult> = {}): ClassEntry {
  const base = fixedResults();
  const run: RunResult = {
    ...base,
    ...extra,
    clauses: base.clauses.map((c) => (failing.includes(c.id) ? { ...c, status: 'fail', verdict: 'crash', summary: `the server crashed: ${name}` } : { ...c, status: 'pass', verdict: 'pass', summary: 'passed 10 runs', skipped: undefined, transcript: undefined })),
  };
  return { name, page: `students/${name}/index.html`, run, grading: toGrading([run]) };
}

t.test('clause shares: most failed first, MUST and ROBUST before ADVISORY, each with an example', async (t) => {
  const class_ = [entry('zed', ['bot.split-utf8', 'bot.coalesce']), entry('amy', ['bot.split-utf8', 'bot.welcome']), entry('kim', ['bot.coalesce'])];
  const shares = clauseShares(class_);
  t.same(shares.map((s) => [s.id, s.failed, s.applies]), [['bot.split-utf8', 2, 3], ['bot.welcome', 1, 3], ['bot.reset', 0, 3], ['bot.coalesce', 2, 3]]);
  t.equal(shares[0].example, 'amy', 'the example is the first failing submission by name');
  t.same(shares[0].verdicts, { crash: 2 });
  t.same(sortEntries(class_, 'score').map((e) => e.name), ['kim', 'zed', 'amy'], 'by score, highest first');
  t.same(sortEntries(class_, 'name').map((e) => e.name), ['amy', 'kim', 'zed']);
  t.equal(firstFinding(class_[1], en), 'bot.welcome: the server crashed: amy', 'the first MUST/ROBUST finding; no verdict words repeated');
  t.equal(firstFinding(class_[1], zh), 'bot.welcome (服务器崩溃): the server crashed: amy');
  t.equal(firstFinding(class_[2], en), '', 'an ADVISORY finding is not a first finding');
});

t.test('scores.csv: quoted where needed, formulas defused, Chinese headings with a byte order mark', async (t) => {
  t.equal(csvField('plain'), 'plain');
  t.equal(csvField('a,b'), '"a,b"');
  t.equal(csvField('say "hi"\nnow'), '"say ""hi""\nnow"');
  t.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`, 'a formula becomes text');
  t.equal(csvField('-1'), "'-1");
  t.equal(csvField(-1), '-1', 'numbers stay numbers');
  const class_ = [entry('bob', ['bot.split-utf8']), { name: 'ann', grading: { score: 0, max_score: 7, tests: [] }, error: 'no .py file in the submission binds a socket' }, entry('=cmd', [])];
  const csv = toScoresCsv(class_, en);
  t.same(csv.split('\r\n'), [
    'student,score,max_score,failed,first_finding',
    "'=cmd,7,7,0,",
    'ann,0,7,,no .py file in the submission binds a socket',
    'bob,5,7,1,bot.split-utf8: the server crashed: bob',
    '',
  ]);
  const zcsv = toScoresCsv(class_, zh);
  t.ok(zcsv.startsWith('\ufeff学生,得分,满分,未通过,第一个问题\r\n'));
});

t.test('class report: pre-sorted twice, linked both ways, findings linked, pictures inline, hostile names escaped, no script', async (t) => {
  const hostile = '<img src=x onerror=alert(1)>';
  const class_ = [entry('bob', ['bot.split-utf8']), entry(hostile, []), { name: 'ann', grading: { score: 0, max_score: 7, tests: [] }, error: 'no .py file <b>binds</b>' }];
  const opts = { group: 'bot/lesson', msg: en, version: '0.1.0', seed: 1, command: 'sockspec grade class --protocol bot' };
  const byScore = renderClassHtml(class_, { ...opts, sortedBy: 'score', otherPage: 'by-name.html' });
  const byName = renderClassHtml(class_, { ...opts, sortedBy: 'name', otherPage: 'index.html' });
  t.equal(renderClassHtml(class_, { ...opts, sortedBy: 'score', otherPage: 'by-name.html' }), byScore, 'pure');
  const rows = (html: string) => [...html.matchAll(/<tr class="student"><td>(?:<a [^>]*>)?([^<]*)/g)].map((m) => m[1]);
  t.same(rows(byScore), ['&lt;img src=x onerror=alert(1)&gt;', 'bob', 'ann'], 'by score');
  t.same(rows(byName), sortEntries(class_, 'name').map((e) => e.name.replace('<', '&lt;').replace('>', '&gt;')), 'by name');
  t.same(rows(byName).slice(1), ['ann', 'bob']);
  t.match(byScore, /<a href="by-name.html">Sort by name<\/a>/);
  t.match(byName, /<a href="index.html">Sort by score<\/a>/);
  t.match(byScore, /<a href="students\/bob\/index.html#f0-bot.split-utf8">bob<\/a>/, 'the clause row links to one example finding');
  t.match(byScore, /href="students\/%3Cimg%20src%3Dx%20onerror%3Dalert\(1\)%3E\/index.html"/, 'a hostile folder name is a safe link');
  t.notMatch(byScore, /<img/i);
  t.notMatch(byScore, /<script/i);
  t.notMatch(byScore, /<b>binds/, 'an error sentence is escaped');
  t.equal((byScore.match(/<svg /g) ?? []).length, 2, 'two pictures: the scores and the per-clause shares');
  t.equal((byScore.match(/<rect class="fill"/g) ?? []).length, clauseShares(class_).length, 'one bar per clause');
  t.match(byScore, /not graded/);
  const zhHtml = renderClassHtml(class_, { ...opts, msg: zh, sortedBy: 'score', otherPage: 'by-name.html' });
  t.match(zhHtml, /<html lang="zh-CN">/);
  t.match(zhHtml, /全班最常出错的地方/);
  t.match(zhHtml, /崩溃/, 'verdict words in Chinese');
});

t.test('messages: every word in both languages; the language from the locale', async (t) => {
  const shape = (o: unknown, at = ''): string[] =>
    o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => shape(v, `${at}.${k}`)) : [`${at}:${typeof o}`];
  t.same(shape(MESSAGES.zh).filter((k) => !k.startsWith('.lang')), shape(MESSAGES.en).filter((k) => !k.startsWith('.lang')), 'the same keys and kinds');
  const strings = (o: unknown): string[] => (typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : []);
  t.ok(strings(MESSAGES.zh).every((s) => s.length > 0));
  t.ok(strings(MESSAGES.zh.verdict).every((s) => /[\u4e00-\u9fff]/.test(s)), 'every verdict word has Chinese');
  t.equal(zh.why.several(['a.py', 'b.py']).includes('a.py、b.py'), true, 'functions fill in their arguments');
  t.equal(langFromEnv({ LANG: 'zh_CN.UTF-8' }), 'zh');
  t.equal(langFromEnv({ LANG: 'en_US.UTF-8' }), 'en');
  t.equal(langFromEnv({ LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' }), 'zh', 'LC_ALL first');
  t.equal(langFromEnv({}), 'en');
});
