// Non-vacuity: each lesson-faithful variant fails the clauses it must fail, with the right
// verdict; the counterexamples are shrunk; and a failure replays from its seed and path alone.
import t from 'tap';
import { allBuiltins, findBuiltin, findProtocol, prepareDirFor } from '../src/protocols';
import { Runner } from '../src/harness/runner';
import { InProcessTarget } from '../src/harness/targets/in-process';
import { runBuiltin, SEED, verdicts } from './helpers';

for (const b of allBuiltins().filter((b) => b.faithful)) {
  for (const profile of b.profiles) {
    const expected = b.expectedFailures[profile] ?? {};
    t.test(`${b.name} (${profile}) is caught: ${Object.keys(expected).join(', ')}`, async (t) => {
      t.ok(Object.keys(expected).length > 0, 'the variant names what it must fail');
      const r = await runBuiltin(b.name, profile, { only: Object.keys(expected) });
      const got = verdicts(r);
      for (const [id, verdict] of Object.entries(expected)) t.equal(got[id], verdict, `${id} fails with ${verdict}`);
      for (const c of r.clauses.filter((x) => x.status === 'fail')) {
        t.ok(c.path && c.counterexample !== undefined && c.transcript?.length, `${c.id} keeps its counterexample, path and transcript`);
        if (c.verdict === 'crash') t.match(c.stderrTail ?? '', /Traceback/, `${c.id} carries the traceback`);
      }
    });
  }
}

t.test('bot-course split-utf8 shrinks to two segments cut inside one character', async (t) => {
  const r = await runBuiltin('bot-course', 'lesson', { only: ['bot.split-utf8'], runs: 20 });
  const c = r.clauses[0];
  t.equal(c.verdict, 'crash');
  const ex = c.counterexample as { text: string; cut: number };
  t.equal([...ex.text].length, 1, `shrunk to a single character: ${JSON.stringify(ex)}`);
  t.ok(Buffer.byteLength(ex.text) > 1 && ex.cut > 0 && ex.cut < Buffer.byteLength(ex.text), 'the cut is inside it');
  const sent = c.transcript!.filter((e) => e.dir === 'c2s' && e.kind === 'data' && e.conn === 0);
  t.equal(sent.length, 2, 'two segments were sent');
  t.match(c.stderrTail ?? '', /UnicodeDecodeError/);
});

t.test('the same seed gives the same findings; seed and path replay a counterexample', async (t) => {
  const a = await runBuiltin('auth-course', 'lesson');
  const b = await runBuiltin('auth-course', 'lesson');
  const strip = (r: typeof a) => r.clauses.map((c) => ({ id: c.id, verdict: c.verdict, path: c.path, counterexample: c.counterexample }));
  t.same(strip(a), strip(b), 'identical verdicts, paths and counterexamples');

  const failed = a.clauses.find((c) => c.id === 'auth.malformed')!;
  t.equal(failed.verdict, 'crash');
  const builtin = findBuiltin('auth-course')!;
  const protocol = findProtocol('auth')!;
  const target = new InProcessTarget(builtin, 'lesson', protocol.defaults, prepareDirFor(protocol));
  const runner = new Runner(protocol, 'lesson', protocol.defaults, target, { seed: SEED, runs: 8, stepMs: 1000, timeLimitMs: 60_000 });
  const replay = await runner.runClause(protocol.clauses.find((c) => c.id === 'auth.malformed')!, failed.path);
  await target.stop();
  t.equal(replay.verdict, 'crash', 'replayed from seed and path alone');
  t.same(replay.counterexample, failed.counterexample, 'the same counterexample');
});
