// npm start's own parts (the whole of it runs as `npm start`, a minute and more): the class
// folders it grades the examples from, and its answers to bad flags.
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES_DIR, exampleClass, loadExamples } from '../src/start';
import { listSubmissions, sourceFiles, sourceHash } from '../src/grade/submissions';
import { cliHere, testTmp } from './helpers';

const tmp = testTmp(t, 'start');

t.test('a class folder of examples: one submission each, its file as server.py beside server_kit.py, the same hash when written again', async (t) => {
  const examples = loadExamples().filter((e) => e.protocol === 'bot' && e.profile === 'lesson');
  t.ok(examples.length >= 2, 'the bot lesson examples');
  const dir = path.join(tmp, 'bot-lesson');
  const names = exampleClass(dir, examples, 2);
  t.same(names, examples.flatMap((e) => [1, 2].map((i) => `${path.basename(e.file, '.py')}-${i}`)));
  const subs = listSubmissions(dir);
  t.same(subs.map((s) => s.name).sort(), [...names].sort(), 'grade sees each as a submission');
  for (const [i, ex] of examples.entries()) {
    const sub = path.join(dir, names[2 * i]);
    t.same(readdirSync(sub).sort(), ['server.py', 'server_kit.py']);
    t.equal(readFileSync(path.join(sub, 'server.py'), 'utf8'), readFileSync(path.join(EXAMPLES_DIR, ex.file), 'utf8'), `${ex.file} as server.py`);
  }
  const hashes = () => listSubmissions(dir).map((s) => sourceHash(s, sourceFiles(s)));
  const before = hashes();
  exampleClass(dir, examples, 2);
  t.same(hashes(), before, 'written again, the same source hash: grade reuses what it graded');
});

t.test('npm start: bad flags are one sentence and exit 2', async (t) => {
  for (const [args, re] of [
    [['start', '--jobs', '0'], /--jobs must be a whole number of at least 1/],
    [['start', '--jobs', 'x'], /--jobs takes a whole number/],
    [['start', '--bogus'], /unknown flag --bogus/],
  ] as [string[], RegExp][]) {
    const r = await cliHere(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, re);
  }
});
