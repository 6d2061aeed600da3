// sockspec autograder: the Gradescope autograder it writes (setup.sh, run_autograder, the
// packed sockspec, a zip with them at its top) and the generated run_autograder run against a
// fake /autograder tree: a corrected server gets every point, the course's server loses some
// with the finding in its test's output, a submission without a server gets 0 and the reason.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testTmp } from './tmp';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const EX = path.join(ROOT, 'examples');
const tmp = testTmp(t, 'autograder-test');
const AG = path.join(tmp, 'ag');
const FAKE = path.join(tmp, 'autograder');

const sockspec = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });

t.test('the autograder it writes', async (t) => {
  writeFileSync(path.join(tmp, 'hello.json'), '{"reply": "hello world"}\n');
  const r = sockspec(['autograder', '--out', 'ag', '--protocol', 'hello', '--variant', 'hello.json', '--runs', '2', '--time-limit', '30']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /wrote ag\/autograder.zip: upload it as the assignment's autograder on Gradescope/);
  for (const f of ['setup.sh', 'run_autograder']) {
    t.ok(statSync(path.join(AG, f)).mode & 0o100, `${f} is executable`);
    const syntax = spawnSync('bash', ['-n', path.join(AG, f)], { encoding: 'utf8' });
    t.equal(syntax.status, 0, `${f} parses: ${syntax.stderr}`);
  }
  const setup = readFileSync(path.join(AG, 'setup.sh'), 'utf8');
  t.match(setup, /npm install -g \.\/sockspec-[\d.]+\.tgz/, 'installs the sockspec that wrote it');
  t.match(setup, /setup_20\.x/, 'and node 20 where the image has an older one');
  const run = readFileSync(path.join(AG, 'run_autograder'), 'utf8');
  t.match(run, /grade "\$ROOT\/submission" --single --jobs 1 --out "\$OUT" --protocol hello --variant "\$SOURCE\/files\/"hello\.json --runs 2 --time-limit 30/);
  t.ok(existsSync(path.join(AG, 'files', 'hello.json')), 'the variant file travels with it');
  const list = spawnSync('python3', ['-m', 'zipfile', '-l', path.join(AG, 'autograder.zip')], { encoding: 'utf8' }).stdout;
  for (const f of ['setup.sh', 'run_autograder', 'files/hello.json']) t.match(list, new RegExp(`^${f.replace('.', '\\.')}\\s`, 'm'), `${f} at the top of the zip`);
  t.match(list, /^sockspec-[\d.]+\.tgz\s/m);

  const bad = sockspec(['autograder', '--out', 'never', '--protocol', 'nope']);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /grade needs --protocol/);
  const python = sockspec(['autograder', '--out', 'never', '--protocol', 'hello', '--python', 'python3']);
  t.equal(python.status, 2, 'no --python: the image has its own python3');
  t.match(python.stderr, /^sockspec: autograder takes no --python: Gradescope's image runs/m);
  t.notOk(existsSync(path.join(tmp, 'never')), 'a mistake writes nothing');
});

/** The generated run_autograder on a fake /autograder tree holding `files` as the submission. */
function runAutograder(files: Record<string, string>) {
  rmSync(FAKE, { recursive: true, force: true });
  mkdirSync(path.join(FAKE, 'submission'), { recursive: true });
  // Gradescope unpacks the zip into /autograder/source.
  const unzip = spawnSync('python3', ['-m', 'zipfile', '-e', path.join(AG, 'autograder.zip'), path.join(FAKE, 'source')], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(unzip.stderr);
  for (const [name, from] of Object.entries(files)) copyFileSync(from, path.join(FAKE, 'submission', name));
  const r = spawnSync('bash', [path.join(FAKE, 'source', 'run_autograder')], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, AUTOGRADER_ROOT: FAKE, SOCKSPEC: `${process.execPath} ${BIN}`, LANG: 'C' },
  });
  return { r, results: JSON.parse(readFileSync(path.join(FAKE, 'results', 'results.json'), 'utf8')) as { score: number; max_score: number; output?: string; tests: { name: string; score: number; max_score: number; output: string }[] } };
}

t.test('run_autograder against a fake /autograder tree', async (t) => {
  const fixed = runAutograder({ 'server.py': path.join(EX, 'hello_lesson_fixed.py'), 'server_kit.py': path.join(EX, 'server_kit.py') });
  t.equal(fixed.r.status, 0, fixed.r.stderr);
  t.equal(fixed.results.score, fixed.results.max_score, 'the corrected server gets every point');
  t.ok(fixed.results.max_score > 0);
  t.ok(fixed.results.tests.every((x) => /^hello\/lesson hello\.[\w.-]+ \[(MUST|ROBUST)\]$/.test(x.name)), 'one test per graded clause');

  const course = runAutograder({ 'server.py': path.join(EX, 'hello_lesson_course.py') });
  t.ok(course.results.score < course.results.max_score, `the course's server loses points (${course.results.score}/${course.results.max_score})`);
  const failed = course.results.tests.find((x) => x.score === 0 && x.max_score > 0);
  t.match(failed?.output, /crash|reset|wrong-answer/, 'the failing test says what happened');

  writeFileSync(path.join(tmp, 'notes.py'), "print('my server is coming')\n");
  const none = runAutograder({ 'notes.py': path.join(tmp, 'notes.py') });
  t.match(none.results, { score: 0, max_score: fixed.results.max_score, output: /no \.py file in the submission binds a socket/ }, 'no server: 0, and why');
});
