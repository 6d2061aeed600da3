// A threaded bot that sleeps 1 s before every reply (examples/trust/): step deadlines follow
// the server, so its strict-decode twin is caught (the corrected one: bot-slow.test.ts).
import t from 'tap';
import { fuzzTrust } from './trust-run';
import { testTmp } from './helpers';

const tmp = testTmp(t, 'bot-slow-strict');
// --runs 1: the boundary cases and one random session per clause, the 45 s limit.
const fuzz = (file: string) => fuzzTrust(tmp, 'bot', file, ['--runs', '1', '--time-limit', '45']);

t.test('its strict-decode twin is caught at bot.split-utf8 within the same limit', async (t) => {
  const { status, out, results } = await fuzz('bot_slow_threaded_strict.py');
  t.equal(status, 1, status === 1 ? 'exit 1' : out.slice(-800));
  const split = results.clauses.find((c) => c.id === 'bot.split-utf8')!;
  t.equal(split.status, 'fail', split.summary);
  t.match(out, /UnicodeDecodeError/, "the thread's traceback is shown");
  for (const id of ['bot.welcome', 'bot.reply-per-message', 'bot.eof-closes']) t.equal(results.clauses.find((c) => c.id === id)?.status, 'pass', `${id} passes`);
});
