// Reports: rendering is a pure function (structure checked on fixed results, hostile content
// escaped), JUnit parses as XML, grading sums, many runs merge into one matrix, and a real
// browser opens the report from disk without running anything the server or student sent.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderHtml } from '../src/harness/report/html';
import { toJUnit } from '../src/harness/report/junit';
import { toGrading } from '../src/harness/report/grading';
import { resultsToJson } from '../src/harness/report/serialize';
import { fixedResults } from './fixtures/results';
import { cliHere, testTmp } from './helpers';
import { browserSkip, watchedPage } from './browser';

const tmp = testTmp(t, 'report-test');

t.test('HTML: matrix, totals, findings, escaping, truncation', async (t) => {
  const html = renderHtml([fixedResults()], { command: 'npx sockspec fuzz --seed 42', replayCommand: () => 'npx sockspec replay x.cbor --judge' });
  t.equal(renderHtml([fixedResults()], { command: 'npx sockspec fuzz --seed 42', replayCommand: () => 'npx sockspec replay x.cbor --judge' }), html, 'pure: same input, same output');
  t.equal((html.match(/<tbody>/g) ?? []).length >= 1, true);
  t.equal((html.match(/<tr><th>bot\./g) ?? []).length, 4, "one matrix row per clause");
  t.match(html, /<h3>bot\/lesson<\/h3>/, "one matrix per protocol and profile");
  t.match(html, /MUST: 1 passed, 0 failed, 0 not run/);
  t.match(html, /ROBUST: 0 passed, 1 failed, 1 not run/);
  t.match(html, /<section class="finding" id="f0-bot.split-utf8">/);
  t.match(html, /<section class="finding" id="f0-bot.coalesce">/, 'advisory findings have a view too');
  t.match(html, /seed 42/);
  t.match(html, /npx sockspec replay x.cbor --judge/);
  t.notMatch(html, /<script/i, 'no script element at all');
  t.notMatch(html, /<img/i, 'no img element from the server or student');
  t.match(html, /&lt;script&gt;alert\(1\)/);
  t.match(html, /10000 bytes; first 4096 shown, all in the recording/);
  t.match(html, /<mark>/, 'first difference highlighted');
});

t.test('JUnit parses as XML and names each clause', async (t) => {
  const file = path.join(tmp, 'junit.xml');
  writeFileSync(file, toJUnit([fixedResults()]));
  const r = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as ET\nroot = ET.parse(sys.argv[1]).getroot()\nfor tc in root.iter("testcase"):\n  print(tc.get("name"), "failure" if tc.find("failure") is not None else "skipped" if tc.find("skipped") is not None else "ok")', file], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.same(r.stdout.trim().split('\n'), ['bot.welcome [MUST] ok', 'bot.split-utf8 [ROBUST] failure', 'bot.coalesce [ADVISORY] skipped', 'bot.reset [ROBUST] skipped']);
});

t.test('grading: scores weighted by level sum to the total', async (t) => {
  const g = toGrading([fixedResults()]);
  t.same(g.tests.map((x) => [x.score, x.max_score]), [[3, 3], [0, 2], [0, 2]], 'MUST 3, ROBUST 2, ADVISORY not graded');
  t.equal(g.score, 3);
  t.equal(g.max_score, 7);
  t.match(g.tests[1].output, /crash/);
});

t.test('report merges many submissions into one matrix, and shards into one column', async (t) => {
  const a = path.join(tmp, 'alice.json');
  const b = path.join(tmp, 'bob.json');
  const shard = path.join(tmp, 'bob-shard2.json');
  writeFileSync(a, resultsToJson(fixedResults('server.py')));
  const bob = fixedResults('server.py');
  writeFileSync(b, resultsToJson({ ...bob, clauses: bob.clauses.slice(0, 2) }));
  writeFileSync(shard, resultsToJson({ ...bob, clauses: bob.clauses.slice(2) }));
  const out = path.join(tmp, 'class');
  const r = await cliHere(['report', a, b, '--out', out, '--grading', path.join(tmp, 'grades.json')]);
  t.equal(r.code, 0, r.err);
  const html = readFileSync(path.join(out, 'index.html'), 'utf8');
  t.match(html, /alice: server.py/);
  t.match(html, /bob: server.py/);
  t.ok(existsSync(path.join(tmp, 'grades.json')));
  const merged = await cliHere(['report', b, shard, '--out', path.join(tmp, 'merged')]);
  t.equal(merged.code, 0);
  t.match(merged.out, /2 run\(s\) from 2 file\(s\)/, 'named by file, two columns');
  const bad = await cliHere(['report', path.join(tmp, 'grades.json'), '--out', out]);
  t.equal(bad.code, 2);
  t.match(bad.err, /is not a sockspec results file/);
});

t.test('a real browser opens the report from disk; hostile replies execute nothing', { skip: browserSkip }, async (t) => {
  const dir = path.join(tmp, 'browser');
  const r = await cliHere(['report', (() => { const f = path.join(tmp, 'one.json'); writeFileSync(f, resultsToJson(fixedResults())); return f; })(), '--out', dir]);
  t.equal(r.code, 0, r.err);
  const { page, dialogs, errors, requests } = await watchedPage(t);
  const url = `file://${path.join(dir, 'index.html')}`;
  await page.goto(url);
  t.ok(await page.locator('table.matrix').isVisible(), 'the matrix is visible');
  t.equal(await page.locator('table.matrix tbody tr').count(), 4);
  await page.locator('a[href="#f0-bot.split-utf8"]').click();
  const finding = page.locator('#f0-bot\\.split-utf8');
  t.ok(await finding.isVisible(), 'the finding is visible');
  t.match(await finding.innerText(), /<script>alert\(1\)<\/script>/, 'hostile bytes shown as text');
  t.match(await finding.innerText(), /你说啥？/, 'Chinese text rendered');
  t.same(dialogs, [], 'no dialog opened');
  t.same(errors, [], 'no console error');
  t.same(requests.filter((u) => u !== url), [], 'no request beyond the file itself');
});
