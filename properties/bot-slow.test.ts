// A threaded bot that sleeps 1 s before every reply (examples/trust/): step deadlines follow
// the server, so the corrected one passes a complete run and its strict-decode twin is caught.
import t from 'tap';
import { failuresOf, fuzzTrust } from './trust-run';
import { testTmp } from './helpers';

const tmp = testTmp(t, 'bot-slow');
// --runs 1: the boundary cases and one random session per clause, the 45 s limit.
const fuzz = (file: string) => fuzzTrust(tmp, 'bot', file, ['--runs', '1', '--time-limit', '45']);

t.test('the slow corrected bot: a complete run, every MUST and ROBUST clause passes, no hang', async (t) => {
  const run = await fuzz('bot_slow_threaded.py');
  const { status, results } = run;
  t.ok(results.polite.slowestReplyMs >= 900, `the polite session saw the 1 s think time (${results.polite.slowestReplyMs} ms)`);
  t.ok(results.stepMs >= 2700, `step deadlines follow the server (${results.stepMs} ms)`);
  t.equal(status, 0, status === 0 ? 'exit 0' : failuresOf(run));
  t.ok(results.complete, 'every applicable clause ran its boundary cases');
  for (const c of results.clauses) {
    if (c.status === 'not-applicable') continue;
    if (c.level !== 'ADVISORY') t.equal(c.status, 'pass', `${c.id}: ${c.summary}`);
    t.not(c.verdict, 'hang', `${c.id} is never a hang`);
  }
});
