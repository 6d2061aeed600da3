// A client's finding survives fuzz-client → recording → replay: the recording says sockspec
// played the server and keeps how the client was started (its stdin, its files: a large one by
// digest, made again from the clause's input); `replay --spawn-client` plays the recorded server
// side to the course client again and matches (the same crash), and diverges on its corrected
// twin; wrong flags for the recording's side, and damaged client headers, are one sentence, exit 2.
import t, { type Test } from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli';
import { goldenFile } from '../src/golden';
import { saveFindings } from '../src/harness/recording/findings';
import { loadRecording } from '../src/harness/recording/load';
import { saveRecording } from '../src/harness/recording/save';
import type { FileDigest } from '../src/harness/recording/schema';
import { RESULTS_SCHEMA, type RunResult } from '../src/harness/runner/results';
import { stopSockDiag } from '../src/harness/sockdiag';
import { PY, testTmp } from './helpers';

const ROOT = path.join(__dirname, '..');

process.env.PYTHONDONTWRITEBYTECODE = '1';
const tmp = testTmp(t, 'replay-client', stopSockDiag);

/** The command line's own entry point, in this process (a node start costs seconds here). */
async function sockspec(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(String(chunk));
        done();
      },
    }) as unknown as NodeJS.WriteStream & { fd: never };
  let out = '';
  let err = '';
  const code = await main(args, sink((s) => (out += s)), sink((s) => (err += s)));
  return { code, out, err };
}

const client = (name: string) => `${PY} ${path.join(ROOT, 'examples', 'clients', name)} {port}`;

interface Finding {
  name: string;
  protocol: string;
  profile: 'lesson' | 'framed';
  clause: string;
  course: string;
  fixed: string;
}

const FINDINGS: Finding[] = [
  // The welcome's first character cut after its first byte: recv(1024) and a strict decode.
  { name: 'bot split UTF-8', protocol: 'bot', profile: 'lesson', clause: 'bot.client.split-utf8', course: 'bot_lesson_course.py', fixed: 'bot_lesson_fixed.py' },
  // One byte of the welcome's header: recv(4) returns it alone, struct.unpack fails.
  { name: 'bot framed split header', protocol: 'bot', profile: 'framed', clause: 'bot.client.framed.split-header', course: 'bot_framed_course.py', fixed: 'bot_framed_fixed.py' },
  // The server closes at once: the course client's next sendall dies; its 16 MiB file is kept by digest.
  { name: 'upload early close', protocol: 'upload', profile: 'lesson', clause: 'upload.client.early-close', course: 'upload_lesson_course.py', fixed: 'upload_lesson_fixed.py' },
];

/** Fuzzes the course client on one clause; returns its recorded finding. */
async function record(t: Test, f: Finding, dir: string): Promise<string | undefined> {
  const fuzz = await sockspec(['fuzz-client', '--protocol', f.protocol, '--profile', f.profile, '--spawn', client(f.course), '--clause', f.clause, '--seed', '1', '--runs', '2', '--time-limit', '30', '--shrink-time', '1', '--record-dir', dir]);
  t.equal(fuzz.code, 1, `fuzz-client finds it: ${fuzz.out}${fuzz.err}`);
  const file = readdirSync(dir).filter((x) => x.endsWith('.cbor')).map((x) => path.join(dir, x))[0];
  t.ok(file, 'the finding was saved');
  // The finding says how to replay it, with the client's flag.
  const printed = /replay: npx sockspec replay (\S+) --spawn-client /.exec(fuzz.out);
  t.equal(printed?.[1], file, 'the finding prints replay FILE --spawn-client');
  return file;
}

for (const [i, f] of FINDINGS.entries()) {
  t.test(`${f.name} (${f.clause}): replays on ${f.course}, diverges on ${f.fixed}`, async (t) => {
    const dir = path.join(tmp, String(i));
    const file = await record(t, f, dir);
    if (!file) return;
    const { header } = loadRecording(file);
    t.equal(header.sockspecPlayed, 'server', 'the header says sockspec played the server');
    t.equal(header.verdict, 'crash');
    t.equal(header.clause, f.clause);
    t.ok((header.stepMs ?? 0) >= 2000, `the run's step deadline is kept: ${header.stepMs} ms`);
    t.type(header.client?.stdin, 'string', "the client's stdin is kept");
    if (f.protocol === 'bot') t.equal(header.client?.stdin, '你好\nhello\n查询余额\nq\n\n\n');
    if (f.protocol === 'upload') {
      const photo = header.client?.files?.['photo.png'] as FileDigest | undefined;
      t.equal(photo?.size, 16 << 20, 'the 16 MiB file is kept by its size and digest');
      t.match(photo?.sha256, /^[0-9a-f]{64}$/);
      t.ok(header.client?.input !== undefined, 'with the clause input that makes it again');
    }
    for (const timing of ['recorded', 'fast']) {
      const json = path.join(dir, `same-${timing}.json`);
      // The recorded run's step (raised for the upload client's 2 s sleep): a shorter one would call it hung.
      const same = await sockspec(['replay', file, '--spawn-client', client(f.course), '--timing', timing, '--json', json]);
      t.equal(same.code, 0, `the course client, ${timing} timing, does the same again: ${same.out}${same.err}`);
      t.match(same.out, /^client: crashed \(.+\) \(recorded: crashed/m);
      t.match(same.out, /match: the client sent the recorded bytes and closes, and ended as recorded/);
      const j = JSON.parse(readFileSync(json, 'utf8')) as { match: boolean; ending: { observed: string } };
      t.equal(j.match, true);
      t.match(j.ending.observed, /^crashed/);
    }
    const fixed = await sockspec(['replay', file, '--spawn-client', client(f.fixed)]);
    t.equal(fixed.code, 1, `the corrected twin diverges: ${fixed.out}${fixed.err}`);
    t.match(fixed.out, /^diverged/m);
    t.notMatch(fixed.out, /^client: crashed/m, 'the corrected twin does not crash');
  });
}

t.test('replay --judge runs the recorded clause on a client: the course client still fails, its twin passes', async (t) => {
  const dir = path.join(tmp, '0');
  const file = readdirSync(dir).filter((x) => x.endsWith('.cbor')).map((x) => path.join(dir, x))[0];
  if (!file) return t.fail('the bot finding of the first test is missing');
  const still = await sockspec(['replay', file, '--spawn-client', client('bot_lesson_course.py'), '--judge']);
  t.equal(still.code, 1, still.out);
  t.match(still.out, /the client crashed: UnicodeDecodeError/);
  const passes = await sockspec(['replay', file, '--spawn-client', client('bot_lesson_fixed.py'), '--judge']);
  t.equal(passes.code, 0, passes.out);
  t.match(passes.out, /bot\.client\.split-utf8 now passes on this client/);
});

t.test("bad input: a recording of the other side's flags, damaged client headers: exit 2, one sentence", async (t) => {
  const dir = path.join(tmp, '0');
  const clientRec = readdirSync(dir).filter((x) => x.endsWith('.cbor')).map((x) => path.join(dir, x))[0];
  if (!clientRec) return t.fail('the bot finding of the first test is missing');
  const rec = loadRecording(clientRec);
  const damaged = (name: string, header: object) => {
    const file = path.join(tmp, `${name}.cbor`);
    saveRecording(file, header as typeof rec.header, rec.events);
    return file;
  };
  const noClient = damaged('no-client', { ...rec.header, client: undefined });
  const pathName = damaged('path-name', { ...rec.header, client: { stdin: '', files: { '../escape.txt': Buffer.from('x') } } });
  const otherSide = damaged('other-side', { ...rec.header, sockspecPlayed: 'proxy' });
  const upload = readdirSync(path.join(tmp, '2')).filter((x) => x.endsWith('.cbor')).map((x) => path.join(tmp, '2', x))[0];
  const wrongDigest = upload && loadRecording(upload);
  const digestFile = wrongDigest && damaged('wrong-digest', { ...wrongDigest.header, client: { ...wrongDigest.header.client, files: { 'photo.png': { size: 16 << 20, sha256: '0'.repeat(64) } } } });
  const course = client('bot_lesson_course.py');
  const cases: [string[], RegExp][] = [
    [['replay', goldenFile('bot', 'lesson'), '--spawn-client', course], /recorded a server under test \(sockspec played the client\): replay it with --spawn "CMD \{port\}", --connect HOST:PORT or --builtin NAME, not --spawn-client/],
    [['replay', clientRec, '--spawn', course], /recorded a client under test \(sockspec played the server\): replay it with --spawn-client "python3 client.py \{port\}", not --spawn$/m],
    [['replay', clientRec, '--connect', '127.0.0.1:1'], /replay it with --spawn-client .*, not --connect/],
    [['replay', clientRec, '--builtin', 'bot-reference'], /replay it with --spawn-client .*, not --builtin/],
    [['replay', clientRec], /replay it with --spawn-client "python3 client.py \{port\}"$/m],
    [['replay', goldenFile('bot', 'lesson'), '--builtin', 'bot-reference', '--stdin', clientRec], /--stdin is the input of a client under test/],
    [['replay', noClient, '--spawn-client', course], /is damaged: it recorded a client under test without its stdin and files/],
    [['replay', pathName, '--spawn-client', course], /is damaged: the client's file "\.\.\/escape\.txt" is not a plain file name/],
    [['replay', otherSide, '--spawn-client', course], /is damaged: its header says sockspec played "proxy"/],
  ];
  if (digestFile) cases.push([['replay', digestFile, '--spawn-client', client('upload_lesson_course.py')], /needs the client's file photo\.png \(16777216 bytes\) made again from the recorded input, and this sockspec makes other bytes/]);
  else t.fail('the upload finding of the third test is missing');
  for (const [args, re] of cases) {
    const r = await sockspec(args);
    t.equal(r.code, 2, `${args.slice(0, 3).map((a) => path.basename(a)).join(' ')} exits 2`);
    t.match(r.err, re);
    t.equal(r.err.trim().split('\n').length, 1, `one sentence: ${r.err}`);
    t.equal(r.out, '', 'nothing replayed');
  }
});

t.test("a server's finding says sockspec played the client, and keeps no client", async (t) => {
  const dir = path.join(tmp, 'server-finding');
  const result: RunResult = {
    schema: RESULTS_SCHEMA,
    sockspecVersion: 'test',
    protocol: 'hello',
    profile: 'lesson',
    target: 'built-in hello-course',
    seed: 1,
    runsPerClause: 1,
    startedAt: new Date().toISOString(),
    durationMs: 1,
    restarts: 0,
    timedOut: false,
    settings: {},
    clauses: [{ id: 'hello.reset', level: 'ROBUST', effectiveLevel: 'ROBUST', description: '', expectation: '', status: 'fail', verdict: 'crash', summary: 'the server crashed', runs: 1, shrinks: 0, seed: 1, durationMs: 1, transcript: loadRecording(goldenFile('hello', 'lesson')).events }],
  };
  saveFindings(result, dir, {});
  const { header } = loadRecording(result.clauses[0].recording!);
  t.equal(header.sockspecPlayed, 'client');
  t.equal(header.verdict, 'crash');
  t.equal(header.client, undefined);
  // Recordings from before client testing say nothing: they are a server's.
  t.equal(loadRecording(goldenFile('hello', 'lesson')).header.sockspecPlayed, undefined);
});
