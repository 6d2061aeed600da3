// The class report in a real browser, opened from disk: both pictures render (scores and the
// per-clause failure shares), the two sort orders link to each other, a clause's example link
// opens that finding in the submission's own page, with its ladder diagram; Chinese renders,
// and nothing runs or loads.
import t from 'tap';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderClassHtml, type ClassEntry } from '../src/harness/report/class';
import { toGrading } from '../src/harness/report/grading';
import { renderHtml } from '../src/harness/report/html';
import { messages } from '../src/harness/report/i18n';
import type { RunResult } from '../src/harness/runner/results';
import { fixedResults } from './fixtures/results';
import { browserSkip, watchedPage } from './browser';
import { testTmp } from './tmp';

const tmp = testTmp(t, 'grade-browser');

/** A submission from fixed results: the clauses in `failing` fail as in the fixture, the rest pass. */
function submission(name: string, failing: string[]): ClassEntry {
  const base = fixedResults();
  const run: RunResult = { ...base, target: name, clauses: base.clauses.map((c) => (failing.includes(c.id) ? c : { ...c, status: 'pass', verdict: 'pass', summary: 'passed', skipped: undefined })) };
  const page = `students/${name}/index.html`;
  mkdirSync(path.join(tmp, 'students', name), { recursive: true });
  writeFileSync(path.join(tmp, page), renderHtml([run], { title: name }));
  return { name, page, run, grading: toGrading([run]) };
}

t.test('the class report in Chromium', { skip: browserSkip }, async (t) => {
  const class_ = [submission('wang', ['bot.split-utf8', 'bot.coalesce']), submission('<b onmouseover=alert(1)>li</b>', ['bot.split-utf8']), submission('zhao', []), { name: 'sun', grading: { score: 0, max_score: 7, tests: [] }, error: 'no .py file in the submission binds a socket' }];
  for (const [file, other, sortedBy, lang] of [['index.html', 'by-name.html', 'score', 'en'], ['by-name.html', 'index.html', 'name', 'en'], ['zh.html', 'index.html', 'score', 'zh']] as const) {
    writeFileSync(path.join(tmp, file), renderClassHtml(class_, { group: 'bot/lesson', msg: messages(lang), sortedBy, otherPage: other, version: '0.1.0', seed: 1 }));
  }
  const { page, dialogs, errors, requests } = await watchedPage(t, { width: 1200, height: 900 });
  const url = (f: string) => `file://${path.join(tmp, f)}`;
  await page.goto(url('index.html'));

  const chart = page.locator('svg.chart').nth(1);
  t.ok(await chart.isVisible(), 'the per-clause chart is visible');
  const box = await chart.boundingBox();
  t.ok(box && box.width > 300 && box.height > 60, `it has a size (${box?.width}x${box?.height})`);
  t.equal(await chart.locator('rect.fill').count(), 4, 'one bar per clause');
  const widths = await chart.locator('rect.fill').evaluateAll((rs) => rs.map((r) => (r as SVGGraphicsElement).getBBox().width));
  t.ok(widths[0] > 0 && widths[0] >= widths[1], `the most failed clause has the longest bar (${widths.join(', ')})`);
  t.ok(await page.locator('svg.scores').isVisible(), 'the score histogram is visible');
  const shot = path.join(tmp, 'class.png');
  await page.screenshot({ path: shot, fullPage: true });
  t.ok(statSync(shot).size > 20_000, `a screenshot of the whole report (${statSync(shot).size} bytes)`);
  t.same(await page.locator('tr.student td:first-child').evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent)), ['zhao', '<b onmouseover=alert(1)>li</b>', 'wang', 'sun'], 'highest score first; a hostile name shown as text');

  await page.locator('a[href="by-name.html"]').click();
  await page.waitForURL(url('by-name.html'));
  t.same(await page.locator('tr.student td:first-child').evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent)), ['<b onmouseover=alert(1)>li</b>', 'sun', 'wang', 'zhao'], 'the same report by name');
  await page.locator('#clause-bot\\.split-utf8 a').click();
  await page.waitForURL(/students\/.*index\.html#f0-bot\.split-utf8$/);
  t.ok(await page.locator('#f0-bot\\.split-utf8').isVisible(), "the example finding, in that submission's own page");
  const ladder = page.locator('#f0-bot\\.split-utf8 svg.ladder');
  t.ok(await ladder.isVisible(), 'its shrunk session as a ladder diagram');
  t.equal(await ladder.locator('rect.wrong').count(), 1, 'the step where it went wrong highlighted');
  const lad = path.join(tmp, 'ladder.png');
  await ladder.screenshot({ path: lad });
  t.ok(statSync(lad).size > 5_000, `a screenshot of the ladder (${statSync(lad).size} bytes)`);

  await page.goto(url('zh.html'));
  t.match(await page.locator('h2').allInnerTexts(), ['得分', '全班最常出错的地方', '作业', '每份作业的每个条款']);
  await page.screenshot({ path: path.join(tmp, 'zh.png'), fullPage: true });
  t.same(dialogs, [], 'no dialog opened');
  t.same(errors, [], 'no console error');
  t.same(requests.filter((u) => !u.startsWith(`file://${tmp}/`)), [], 'nothing loaded from outside the report folder');
});
