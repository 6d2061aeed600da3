// `sockspec fuzz-client` on the command line: bad input is one sentence and exit 2; a course
// client's finding is told as the client's (its traceback, its stderr), a corrected client
// exits 0, a client that never connects is one finding with a hint, --stdin replaces the script.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliHere, cliProcess, PY, testTmp } from './helpers';

const tmp = testTmp(t, 'fuzz-client');

// The command line in this process (what is tested is its answer; the bad-input cases' first
// one also through a process of its own, whose exit status a shell sees), in English.
process.env.PYTHONDONTWRITEBYTECODE = '1';
process.env.LANG = 'C';
const sockspec = (args: string[]) => cliHere([...args, '--record-dir', path.join(tmp, 'rec')]);
const sockspecProcess = (args: string[]) => cliProcess([...args, '--record-dir', path.join(tmp, 'rec')], 120_000);

t.test('bad input: exit 2, one sentence, no stack trace', async (t) => {
  const client = `${PY} examples/clients/bot_lesson_fixed.py {port}`;
  const cases: [string[], RegExp][] = [
    [['fuzz-client', '--protocol', 'bot'], /fuzz-client needs --spawn/],
    [['fuzz-client', '--protocol', 'bot', '--connect', '127.0.0.1:1'], /starts the client itself/],
    [['fuzz-client', '--protocol', 'bot', '--spawn', 'python3 examples/clients/bot_lesson_fixed.py'], /needs \{port\}.*--port N/],
    [['fuzz-client', '--protocol', 'bot', '--spawn', client, '--stdin', path.join(tmp, 'missing.txt')], /cannot read the --stdin file .*: no such file/],
    [['fuzz-client', '--protocol', 'bot', '--spawn', client, '--clause', 'bot.welcome'], /unknown clause "bot.welcome"/],
    [['fuzz-client', '--protocol', 'chat', '--spawn', client], /unknown protocol "chat"/],
  ];
  for (const [i, [args, re]] of cases.entries()) {
    const r = i === 0 ? sockspecProcess(args) : await sockspec(args);
    t.equal(r.code, 2, `${args.join(' ')} exits 2`);
    t.match(r.err, re);
    t.notMatch(r.err, /    at /, 'no stack trace');
  }
});

t.test("a course client's crash is the client's finding; its corrected twin exits 0", async (t) => {
  const args = (who: string) => ['fuzz-client', '--protocol', 'hello', '--profile', 'framed', '--spawn', `${PY} examples/clients/hello_framed_${who}.py {port}`, '--seed', '4', '--runs', '3', '--clause', 'hello.client.framed.split-header', '--json', path.join(tmp, `${who}.json`)];
  const course = await sockspec(args('course'));
  t.equal(course.code, 1, 'the course client: exit 1');
  t.match(course.out, /the client crashed: struct\.error/, 'the finding names the client and its exception');
  t.match(course.out, /client's stderr/, "the client's stderr is quoted");
  t.match(course.out, /replay: npx sockspec replay .* --spawn-client/, 'the finding says how to replay it against a client');
  const results = JSON.parse(readFileSync(path.join(tmp, 'course.json'), 'utf8')) as { tested: string; clauses: { id: string; tested: string; verdict: string }[] };
  t.equal(results.tested, 'client');
  t.equal(results.clauses.find((c) => c.id === 'hello.client.framed.split-header')?.verdict, 'crash');
  const fixed = await sockspec(args('fixed'));
  t.equal(fixed.code, 0, `the corrected client: exit 0 ${fixed.out.slice(-400)}`);
});

t.test('a client that never connects is one finding, not a pass; one that cannot start is a setup error', async (t) => {
  const r = await sockspec(['fuzz-client', '--protocol', 'hello', '--spawn', `${PY} -c pass {port}`, '--seed', '1', '--time-limit', '30']);
  t.equal(r.code, 1);
  t.match(r.out, /the client exited with code 0 before connecting/);
  t.match(r.out, /blocked by hello\.client\.conversation/, 'the other clauses are blocked by it');
  const missing = await sockspec(['fuzz-client', '--protocol', 'hello', '--spawn', `${PY} ${path.join(tmp, 'no_such_client.py')} {port}`, '--seed', '1']);
  t.equal(missing.code, 2, 'a script that does not exist: exit 2');
  t.match(missing.err, /the client exited with code 2 before connecting: .*can't open file/);
  t.notMatch(missing.err, /    at /, 'no stack trace');
});

t.test('--stdin replaces the scripted input', async (t) => {
  const stdin = path.join(tmp, 'stdin.txt');
  writeFileSync(stdin, 'nihao\nq\n');
  const r = await sockspec(['fuzz-client', '--protocol', 'bot', '--spawn', `${PY} examples/clients/bot_lesson_fixed.py {port}`, '--stdin', stdin, '--seed', '1', '--clause', 'bot.client.conversation']);
  t.equal(r.code, 1, 'the client typed what the file says, not the script');
  t.match(r.out, /the client sent something else as message 1 .*"nihao"/s);
});
