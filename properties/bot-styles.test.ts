// Student bots sockspec was not tuned to (examples/trust/): one missing message is one root
// finding, never a cascade of hangs; a reply nobody can predict is checked with --reply any.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { failuresOf, fuzzTrust } from './trust-run';
import { cliHere, PY, testTmp } from './helpers';

const tmp = testTmp(t, 'bot-styles');
const fuzz = (file: string, extra: string[]) => fuzzTrust(tmp, 'bot', file, ['--runs', '4', ...extra]);

t.test('a bot that greets only after the first message: one wrong-answer at bot.welcome, the rest blocked, no hang', async (t) => {
  const { status, out, results } = await fuzz('bot_greets_late.py', []);
  t.equal(status, 1, status === 1 ? 'exit 1' : out.slice(-500));
  const welcome = results.clauses.find((c) => c.id === 'bot.welcome')!;
  t.equal(welcome.verdict, 'wrong-answer');
  t.match(welcome.summary, /sent nothing .* after the connection opened: it waits for the client to speak first/);
  t.match(welcome.hint, /--no-welcome/);
  t.match(welcome.hint, /sockspec learn/);
  t.equal(results.polite.precondition, 'bot.welcome', 'the polite session names the missing step');
  const others = results.clauses.filter((c) => c.id !== 'bot.welcome' && c.status !== 'not-applicable');
  t.ok(others.length >= 9);
  for (const c of others) t.same([c.status, c.blockedBy], ['blocked', 'bot.welcome'], `${c.id} is blocked by the welcome`);
  t.equal(results.clauses.filter((c) => c.verdict === 'hang').length, 0, 'no hang anywhere');
  t.equal(results.clauses.filter((c) => c.status === 'fail').length, 1, 'one root finding');
  t.notOk(results.complete, 'blocked clauses did not run');
});

t.test('a forking bot that upper-cases: its reply is one finding at bot.reply-per-message, never hangs', async (t) => {
  const { status, results } = await fuzz('bot_upper_forking.py', ['--no-welcome']);
  t.equal(status, 1);
  const reply = results.clauses.find((c) => c.id === 'bot.reply-per-message')!;
  t.equal(reply.verdict, 'wrong-answer', reply.summary);
  t.match(reply.hint, /--reply any/);
  t.equal(results.clauses.filter((c) => c.verdict === 'hang').length, 0, 'no hang anywhere');
  const failedMustRobust = results.clauses.filter((c) => c.status === 'fail' && c.level !== 'ADVISORY').map((c) => c.id);
  t.same(failedMustRobust, ['bot.reply-per-message'], 'one MUST/ROBUST finding; the clauses that need the reply are blocked');
  t.ok(results.clauses.filter((c) => c.blockedBy === 'bot.reply-per-message').length >= 5);
});

t.test('learn proposes --reply any for that bot, and fuzz then passes it', async (t) => {
  const variant = path.join(tmp, 'upper.json');
  const learned = await cliHere(['learn', '--protocol', 'bot', '--spawn', `${PY} examples/trust/bot_upper_forking.py {port}`, '--out', variant], 110_000);
  t.equal(learned.code, 0, learned.code === 0 ? 'learn exits 0' : learned.out + learned.err);
  t.match(learned.out, /--reply any/);
  t.same(JSON.parse(readFileSync(variant, 'utf8')), { protocol: 'bot', welcome: null, reply: 'any', end_word: null });
  const run = await fuzz('bot_upper_forking.py', ['--variant', variant]);
  const { status, results } = run;
  t.equal(status, 0, status === 0 ? 'exit 0' : failuresOf(run));
  t.ok(results.complete, 'every clause ran');
  for (const c of results.clauses) if (c.level !== 'ADVISORY' && c.status !== 'not-applicable') t.equal(c.status, 'pass', `${c.id}: ${c.summary}`);
});
