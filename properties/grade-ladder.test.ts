// The ladder diagram of a finding's shrunk session: one arrow per segment in its direction with
// its size and text, connect, FIN and RST marks, the server's death, pauses, the step where it
// went wrong highlighted (or what never came, as a last row), everything escaped, long
// sessions cut; and each finding of the HTML report carries one.
import t from 'tap';
import { ladderSvg, wrongStep } from '../src/harness/report/ladder';
import { renderHtml } from '../src/harness/report/html';
import type { TranscriptEvent } from '../src/harness/transcript';
import { fixedResults } from './fixtures/results';

const ev = (conn: number, dir: 'c2s' | 's2c', kind: TranscriptEvent['kind'], tMs: number, bytes?: string | Buffer): TranscriptEvent => ({ conn, dir, kind, t: tMs * 1000, ...(bytes !== undefined ? { bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes) } : {}) });
const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

const session: TranscriptEvent[] = [
  ev(0, 'c2s', 'connect', 0),
  ev(0, 's2c', 'data', 1, '欢迎'),
  ev(0, 'c2s', 'data', 2, Buffer.from([0xe4])),
  ev(0, 'c2s', 'data', 900, Buffer.from([0xbd, 0xa0])),
  ev(0, 'c2s', 'close', 901),
  ev(0, 's2c', 'rst', 902),
];

t.test('arrows, marks and pauses', async (t) => {
  const svg = ladderSvg(session, 'reset', 2000);
  t.equal(count(svg, /<line /g), 2 + 5, 'two lifelines and one arrow per event but the harness close');
  t.match(svg, /#0 connect/);
  t.match(svg, /#0 6 bytes: 欢迎/, "the server's reply with its size and text");
  t.match(svg, /#0 1 byte: \\xe4/, 'bytes that are not text, shown escaped');
  t.match(svg, /pause 898 ms/, 'a pause before the late segment');
  t.match(svg, /font-weight="bold">#0 RST</);
  t.match(svg, /✕/);
  t.equal(count(svg, /class="wrong"/g), 1, 'one step highlighted');
  t.notMatch(svg, /<script/i);
});

t.test('the step where it went wrong, by verdict', async (t) => {
  t.same(wrongStep(session.filter((e) => e.kind !== 'close'), 'reset'), { index: 4 }, "reset: the server's RST");
  const died = [...session.slice(0, 3), { ...ev(0, 's2c', 'exit', 5), code: 1 }];
  t.same(wrongStep(died, 'crash'), { index: 3 }, 'crash: the death');
  t.match(ladderSvg(died, 'crash'), /server died \(exit code 1\)/);
  t.same(wrongStep(session.slice(0, 3), 'hang', 2000), { trailer: 'nothing from the server for 2000 ms' }, 'hang: what never came, as a last row');
  t.match(ladderSvg(session.slice(0, 3), 'busy-loop', 2000), /⚠ nothing from the server for 2000 ms, at full CPU/);
  t.same(wrongStep(session.slice(0, 3), 'wrong-answer'), { index: 1 }, "wrong answer: the server's last reply");
  t.same(wrongStep([session[0]], 'wrong-answer'), { trailer: 'nothing more from the server' }, 'wrong answer with no reply at all');
  t.same(wrongStep(session, 'pass'), {});
});

t.test('hostile bytes are text; long sessions are cut', async (t) => {
  const svg = ladderSvg([ev(0, 's2c', 'data', 1, '<script>alert(1)</script>'), ev(0, 'c2s', 'data', 2, '"><img src=x onerror=alert(2)>')], 'wrong-answer');
  t.notMatch(svg, /<script|<img/i);
  t.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const many = Array.from({ length: 200 }, (_, i) => ev(0, 's2c', 'data', i, 'x'));
  const cut = ladderSvg(many, 'flood');
  t.equal(count(cut, /<polygon /g), 80, 'at most 80 arrows');
  t.match(cut, /… 120 more events \(the table below lists more, the recording all\)/);
  t.match(cut, /#0 1 byte: x/);
  t.equal(count(ladderSvg([ev(0, 's2c', 'data', 1, 'y'.repeat(5000))], 'flood'), /: y{43}…</g), 1, 'a long segment shortened in its label');
});

t.test('each finding of the report carries its ladder', async (t) => {
  const html = renderHtml([fixedResults()], {});
  const findings = html.split('<section class="finding"').slice(1);
  t.equal(findings.length, 2);
  t.match(findings[0], /<svg class="ladder"/, 'the finding with a session has a ladder');
  t.notMatch(findings[1], /<svg class="ladder"/, 'a finding without one has none');
});

t.test("a flood's session is cut in the report's table too: its first and last events, and what was left out", async (t) => {
  const r = fixedResults();
  const flood = [ev(0, 'c2s', 'connect', 0), ...Array.from({ length: 1000 }, (_, i) => ev(0, 's2c', 'data', i + 1, 'ab')), ev(0, 'c2s', 'close', 1002)];
  r.clauses[1] = { ...r.clauses[1], verdict: 'flood', transcript: flood };
  const table = renderHtml([r], {}).split('<table class="wire">')[1].split('</table>')[0];
  t.equal(count(table, /<tr class="(c2s|s2c)">/g), 350, 'the first 300 events and the last 50');
  t.match(table, /… 652 more events \(1304 bytes\) not shown here: the recording holds them all/);
  t.match(table, /1002\.0 ms.*client → server<\/td><td>CLOSE/s, "the session's end is shown");
  const short = renderHtml([fixedResults()], {}).split('<table class="wire">')[1];
  t.notMatch(short, /not shown here/, 'a short session is shown whole');
});
