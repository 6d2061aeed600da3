// Clauses without a verdict of their own (not run, cut short, blocked, not applicable): every
// output says so, grading gives them nothing, and a run with one is incomplete (exit 4), never passed.
import t from 'tap';
import { renderHtml } from '../src/harness/report/html';
import { toJUnit } from '../src/harness/report/junit';
import { toGrading } from '../src/harness/report/grading';
import { statusWord, NO_COLOR } from '../src/harness/report/terminal';
import { exitCodeOf, unfinished, type ClauseResult, type RunResult } from '../src/harness/runner/results';
import { slowestReply } from '../src/harness/runner';
import { fixedResults } from './fixtures/results';

const clause = (c: Partial<ClauseResult> & Pick<ClauseResult, 'id' | 'level' | 'status' | 'verdict'>): ClauseResult => ({
  effectiveLevel: c.level,
  description: 'd',
  expectation: 'e',
  summary: 's',
  runs: 0,
  shrinks: 0,
  seed: 1,
  durationMs: 0,
  ...c,
});

function run(clauses: ClauseResult[]): RunResult {
  return { ...fixedResults('server.py'), clauses, complete: unfinished({ clauses } as RunResult).length === 0, timeLimitMs: 45_000 };
}

const passed = clause({ id: 'bot.welcome', level: 'MUST', status: 'pass', verdict: 'pass', runs: 25, plannedRuns: 25 });
const cutShort = clause({ id: 'bot.reply-per-message', level: 'MUST', status: 'pass', verdict: 'pass', runs: 1, plannedRuns: 25, boundaryCases: 2, summary: 'passed 1 of 25 sessions; the time limit ran out', skipped: 'the time limit ran out after 1 of 25 sessions' });
const explored = clause({ id: 'bot.eof-closes', level: 'MUST', status: 'pass', verdict: 'pass', runs: 3, plannedRuns: 25, boundaryCases: 2, summary: 'passed 3 of 25 sessions (the time limit ended the rest)' });
const notRun = clause({ id: 'bot.reset', level: 'ROBUST', status: 'not-run', verdict: 'not-run', summary: 'the time limit ran out before this clause', skipped: 'time limit' });
const notApplicable = clause({ id: 'bot.end-word', level: 'MUST', status: 'not-applicable', verdict: 'not-applicable', summary: 'does not apply to this variant of the assignment', skipped: 'does not apply' });
const failed = clause({ id: 'bot.welcome', level: 'MUST', status: 'fail', verdict: 'wrong-answer', summary: 'the server sent nothing', hint: 'use --no-welcome' });
const blocked = clause({ id: 'bot.split-utf8', level: 'ROBUST', status: 'blocked', verdict: 'blocked', blockedBy: 'bot.welcome', summary: 'blocked by bot.welcome: the server sent nothing', skipped: 'blocked by bot.welcome' });

t.test('exit codes: 0 only for a complete run, 1 for findings, 4 when a MUST/ROBUST clause has no verdict', async (t) => {
  t.equal(exitCodeOf([run([passed, explored, notApplicable])]), 0, 'a clause that does not apply and a pass after its boundary cases leave the run complete');
  t.equal(exitCodeOf([run([passed, cutShort])]), 4, 'a pass cut short before its boundary cases is incomplete');
  t.equal(exitCodeOf([run([passed, notRun])]), 4, 'a clause not run is incomplete');
  t.equal(exitCodeOf([run([failed, blocked])]), 1, 'a root finding with blocked clauses is a finding');
  t.same(unfinished(run([failed, blocked, cutShort, notRun, notApplicable, explored])).map((c) => c.id), ['bot.split-utf8', 'bot.reply-per-message', 'bot.reset']);
  const advisoryNotRun = clause({ id: 'bot.coalesce', level: 'ADVISORY', status: 'not-run', verdict: 'not-run' });
  t.equal(exitCodeOf([run([passed, advisoryNotRun])]), 0, 'ADVISORY clauses do not make a run incomplete');
});

t.test('terminal words', async (t) => {
  t.equal(statusWord(cutShort, NO_COLOR), 'pass (1 of 25 sessions): incomplete');
  t.equal(statusWord(explored, NO_COLOR), 'pass (3 of 25 sessions)');
  t.equal(statusWord(blocked, NO_COLOR), 'blocked by bot.welcome');
  t.equal(statusWord(notApplicable, NO_COLOR), 'not applicable');
  t.equal(statusWord(notRun, NO_COLOR), 'not run');
});

t.test('HTML: own colours, the incomplete note says how to give the run more time, hints shown', async (t) => {
  const html = renderHtml([run([failed, blocked, cutShort, notRun, notApplicable, explored])]);
  t.match(html, /<td class="blocked"[^>]*>blocked by bot\.welcome<\/td>/);
  t.match(html, /<td class="not-applicable"[^>]*>n\/a<\/td>/);
  t.match(html, /<td class="incomplete"[^>]*>pass \(1 of 25\): incomplete<\/td>/);
  t.match(html, /<td class="not-run"/);
  t.match(html, /<td class="pass">pass \(3 of 25\)<\/td>/);
  t.match(html, /Incomplete:.*bot\.split-utf8, bot\.reply-per-message, bot\.reset.*--time-limit SEC.*it was 45 s/s);
  t.match(html, /<b>Hint:<\/b> use --no-welcome/);
  t.match(html, /\.incomplete\{background:#e6ddf7/, 'a colour of its own');
  t.notMatch(renderHtml([run([passed, explored])]), /Incomplete:/, 'no note on a complete run');
});

t.test('JUnit: every clause without a full verdict is skipped with its reason', async (t) => {
  const xml = toJUnit([run([failed, blocked, cutShort, notRun, notApplicable, explored])]);
  t.match(xml, /name="bot\.split-utf8 \[ROBUST\]"[^]*?<skipped message="blocked: blocked by bot\.welcome/);
  t.match(xml, /name="bot\.reply-per-message \[MUST\]"[^]*?<skipped message="incomplete: /);
  t.match(xml, /name="bot\.reset \[ROBUST\]"[^]*?<skipped message="not-run: /);
  t.match(xml, /name="bot\.end-word \[MUST\]"[^]*?<skipped message="not-applicable: /);
  t.match(xml, /name="bot\.eof-closes \[MUST\]" time="0\.000">\n    <\/testcase>/, 'a pass after its boundary cases is a plain pass');
  t.match(xml, /failures="1" skipped="4"/);
});

t.test('grading: no points without a verdict, and a clause that does not apply is not graded', async (t) => {
  const g = toGrading([run([passed, cutShort, notRun, notApplicable, blocked, explored])]);
  t.same(
    g.tests.map((x) => [x.name.split(' ')[1], x.score, x.max_score]),
    [
      ['bot.welcome', 3, 3],
      ['bot.reply-per-message', 0, 3],
      ['bot.reset', 0, 2],
      ['bot.split-utf8', 0, 2],
      ['bot.eof-closes', 3, 3],
    ],
  );
  t.match(g.tests[1].output, /^incomplete: /);
  t.match(g.tests[3].output, /^blocked: /);
});

t.test('the slowest reply of a session: from the client step to the next server bytes', async (t) => {
  const ev = (conn: number, dir: 'c2s' | 's2c', kind: 'connect' | 'data' | 'fin', ms: number) => ({ conn, dir, kind, t: ms * 1000 });
  t.equal(slowestReply([ev(0, 'c2s', 'connect', 0), ev(0, 's2c', 'data', 5), ev(0, 'c2s', 'data', 10), ev(0, 's2c', 'data', 1010), ev(0, 's2c', 'data', 1011), ev(0, 'c2s', 'fin', 1020)]), 1000);
  t.equal(slowestReply([ev(0, 'c2s', 'connect', 0), ev(0, 'c2s', 'fin', 3)]), undefined, 'no reply, nothing timed');
});
