// Every clause states its DESCRIPTION and EXPECTATION in English and in Chinese (`zh`, next to
// its code), the Chinese is a translation (not the English copied, identifiers kept), and
// `--lang` picks them in the terminal, the run's report and the class report; results written
// before there were Chinese texts still render, in English.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClauseText } from '../src/harness/clause';
import { renderClassHtml, type ClassEntry } from '../src/harness/report/class';
import { toGrading } from '../src/harness/report/grading';
import { htmlEscape, renderHtml } from '../src/harness/report/html';
import { clauseText, messages } from '../src/harness/report/i18n';
import { resultsToJson } from '../src/harness/report/serialize';
import { findingText, NO_COLOR } from '../src/harness/report/terminal';
import { loadResults } from '../src/harness/runner/merge';
import type { ClauseResult, RunResult } from '../src/harness/runner/results';
import { findProtocol, PROTOCOLS } from '../src/protocols';
import { fixedResults } from './fixtures/results';
import { runBuiltin, testTmp } from './helpers';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const tmp = testTmp(t, 'clause-texts');

interface Texts extends ClauseText {
  id: string;
  zh?: Partial<ClauseText>;
}

const CJK = /[\u4e00-\u9fff]/;
const CJK_RUNS = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g;
/** What a translation keeps as it is: code in backticks, error names, RST/FIN/UTF-8, flags, b'', calls like recv(4) or int(). */
const VERBATIM = /`[^`]+`|\b[A-Z]\w*Error\b|\b(?:RST|FIN|UTF-8|ASCII|JSON)\b|--[a-z][\w-]*|b''|b""|\b[\w.]+\([^()\s]*\)/g;

/** Why a clause's Chinese texts are missing or no translation (empty: they are fine). */
function textProblems(c: Texts): string[] {
  const out: string[] = [];
  for (const k of ['description', 'expectation'] as const) {
    const zh = c.zh?.[k];
    if (typeof zh !== 'string') {
      out.push(`no zh.${k}`);
      continue;
    }
    if (!zh.trim()) {
      out.push(`zh.${k} is empty`);
      continue;
    }
    // The course's own Chinese strings quoted in the English (the welcome) do not make a translation.
    const own = (c[k].match(CJK_RUNS) ?? []).reduce((s, run) => s.split(run).join(''), zh);
    if (zh.trim() === c[k].trim()) out.push(`zh.${k} is the English text copied`);
    else if (!CJK.test(own)) out.push(`zh.${k} is not Chinese (no Chinese character of its own)`);
    const lost = [...new Set(c[k].match(VERBATIM) ?? [])].filter((x) => !zh.includes(x));
    if (lost.length) out.push(`zh.${k} lacks ${lost.join(', ')} of the English (identifiers and byte strings stay as they are)`);
  }
  return out;
}

/** Every clause of every protocol in the registry: the server clauses and, where a protocol has them, its client clauses. */
function everyClause(): { who: string; clause: Texts }[] {
  return PROTOCOLS.flatMap((p) => [
    ...p.clauses.map((clause) => ({ who: `${p.name} clause`, clause: clause as Texts })),
    // Client clauses (sockspec plays the server, src/protocols/kit/client-clauses.ts): checked here once a
    // protocol object lists them as `clientClauses`; under another name, add it here.
    ...(((p as { clientClauses?: readonly Texts[] }).clientClauses ?? []).map((clause) => ({ who: `${p.name} client clause`, clause }))),
  ]);
}

t.test('the check catches what it must (known-bad texts)', async (t) => {
  const en = { id: 'x.bad', description: 'A client sends `exit` and ends its stream (recv returns b"").', expectation: 'The server closes.' };
  const good = { description: '客户端发送 `exit` 后结束发送（recv 返回 b""）。', expectation: '服务端关闭连接。' };
  t.same(textProblems({ ...en, zh: good }), [], 'a translation passes');
  t.same(textProblems(en), ['no zh.description', 'no zh.expectation'], 'no zh at all');
  t.same(textProblems({ ...en, zh: { description: good.description } }), ['no zh.expectation'], 'one of the two missing');
  t.same(textProblems({ ...en, zh: { ...good, expectation: '  ' } }), ['zh.expectation is empty']);
  t.same(textProblems({ ...en, zh: { ...good, description: en.description } }), ['zh.description is the English text copied']);
  t.same(textProblems({ ...en, zh: { ...good, expectation: 'The server closes the connection.' } }), ['zh.expectation is not Chinese (no Chinese character of its own)'], 'English, reworded');
  const welcome = { id: 'x.welcome', description: 'A client waits.', expectation: 'The server sends exactly the welcome 欢迎使用xx系统 and closes.' };
  t.same(textProblems({ ...welcome, zh: { description: '客户端等待。', expectation: 'The server sends the welcome 欢迎使用xx系统, then closes.' } }), ['zh.expectation is not Chinese (no Chinese character of its own)'], "the course's Chinese string inside English is no translation");
  t.same(textProblems({ ...en, zh: { ...good, description: '客户端发送结束词后结束发送（recv 返回空字节）。' } }), ['zh.description lacks `exit`, b"" of the English (identifiers and byte strings stay as they are)']);
});

t.test('every clause of every protocol has its Chinese DESCRIPTION and EXPECTATION', async (t) => {
  const all = everyClause();
  t.ok(all.length >= PROTOCOLS.length * 5, `${all.length} clauses in the registry`);
  for (const { who, clause } of all) {
    const problems = textProblems(clause);
    t.same(problems, [], `${who} ${clause.id}${problems.length ? `: ${problems.join('; ')}` : ''}`);
  }
});

/** A real clause's result (bot.split-utf8, failed), its texts as the runner stores them. */
function realResult(): { run: RunResult; clause: ClauseResult; zh: ClauseText; en: ClauseText } {
  const spec = findProtocol('bot')!.clauses.find((c) => c.id === 'bot.split-utf8')!;
  const base = fixedResults('server.py');
  const clauses = base.clauses.map((c) => (c.id === spec.id ? { ...c, description: spec.description, expectation: spec.expectation, zh: spec.zh } : c));
  const run = { ...base, clauses };
  return { run, clause: clauses.find((c) => c.id === spec.id)!, zh: spec.zh, en: { description: spec.description, expectation: spec.expectation } };
}

t.test('clauseText: the language asked for, English for results older than the Chinese texts', async (t) => {
  const { clause, zh, en } = realResult();
  t.same(clauseText(clause, 'zh'), zh);
  t.same(clauseText(clause, 'en'), en);
  const old = fixedResults().clauses[1];
  t.same(clauseText(old, 'zh'), { description: old.description, expectation: old.expectation }, 'no zh stored: the English');
});

t.test('the run report (HTML) and the terminal show the texts in the language asked for', async (t) => {
  const { run, clause, zh, en } = realResult();
  const zhHtml = renderHtml([run], { lang: 'zh' });
  const enHtml = renderHtml([run], { lang: 'en' });
  t.match(zhHtml, /<html lang="zh-CN">/);
  t.ok(zhHtml.includes(`<b>DESCRIPTION</b> ${htmlEscape(zh.description)}`), 'zh: the Chinese DESCRIPTION');
  t.ok(zhHtml.includes(`<b>EXPECTATION</b> ${htmlEscape(zh.expectation)}`), 'zh: the Chinese EXPECTATION');
  t.notOk(zhHtml.includes(htmlEscape(en.description)), 'zh: not the English');
  t.ok(zhHtml.includes(messages('zh').verdict.crash), 'zh: the verdict in Chinese words');
  t.ok(enHtml.includes(`<b>DESCRIPTION</b> ${htmlEscape(en.description)}`), 'en: the English DESCRIPTION');
  t.ok(enHtml.includes(`<b>EXPECTATION</b> ${htmlEscape(en.expectation)}`), 'en: the English EXPECTATION');
  t.notOk(enHtml.includes(htmlEscape(zh.description)), 'en: not the Chinese');
  t.equal(renderHtml([run]), enHtml, 'English unless asked');

  const old = renderHtml([fixedResults()], { lang: 'zh' });
  t.match(old, /<b>DESCRIPTION<\/b> A message cut inside a character\./, 'an old results file (no zh) renders, in English');

  const { expected: _e, ...noExpected } = clause;
  const zhText = findingText(noExpected, 'npx sockspec replay x.cbor --judge', NO_COLOR, 'zh');
  t.ok(zhText.includes(`clause: ${zh.description}`) && zhText.includes(`expected: ${zh.expectation}`), 'terminal zh: both Chinese texts');
  t.ok(zhText.includes(messages('zh').verdict.crash), 'terminal zh: the verdict words');
  const enText = findingText(noExpected, 'npx sockspec replay x.cbor --judge', NO_COLOR);
  t.ok(enText.includes(`clause: ${en.description}`) && enText.includes(`expected: ${en.expectation}`), 'terminal en: both English texts');
});

t.test('the class report shows each clause in the language asked for', async (t) => {
  const { run, zh, en } = realResult();
  const entries: ClassEntry[] = [{ name: 'bob', page: 'students/bob/index.html', run, grading: toGrading([run]) }];
  const opts = { group: 'bot/lesson', version: '0.1.0', seed: 1, sortedBy: 'score' as const, otherPage: 'by-name.html' };
  const zhHtml = renderClassHtml(entries, { ...opts, msg: messages('zh') });
  const enHtml = renderClassHtml(entries, { ...opts, msg: messages('en') });
  t.ok(zhHtml.includes(`title="${htmlEscape(zh.description)}">bot.split-utf8</th>`), 'zh: the Chinese description on the clause');
  t.notOk(zhHtml.includes(htmlEscape(en.description)));
  t.ok(enHtml.includes(`title="${htmlEscape(en.description)}">bot.split-utf8</th>`), 'en: the English description');
  t.notOk(enHtml.includes(htmlEscape(zh.description)));
  const old = renderClassHtml([{ name: 'ann', run: fixedResults(), grading: toGrading([fixedResults()]) }], { ...opts, msg: messages('zh') });
  t.ok(old.includes('title="A message cut inside a character.">bot.split-utf8</th>'), 'old results: the English');
});

t.test('results carry both texts from the runner, through JSON and back', async (t) => {
  const spec = findProtocol('hello')!.clauses.find((c) => c.id === 'hello.reply')!;
  const r = await runBuiltin('hello-reference', 'lesson', { only: ['hello.reply'], runs: 2 });
  t.same(r.clauses.map((c) => [c.id, c.description, c.zh]), [['hello.reply', spec.description, spec.zh]]);
  const file = path.join(tmp, 'results.json');
  writeFileSync(file, resultsToJson(r));
  t.same(loadResults(file)[0].clauses[0].zh, spec.zh, 'kept in the results JSON');
  const oldFile = path.join(tmp, 'old.json');
  writeFileSync(oldFile, resultsToJson(fixedResults('server.py')));
  t.equal(loadResults(oldFile)[0].clauses.length, 4, 'a results file without Chinese texts still loads');
});

t.test('--lang on the command line: fuzz (terminal and report) and report; a wrong value is one sentence', async (t) => {
  const spec = findProtocol('hello')!.clauses.find((c) => c.id === 'hello.invalid-utf8')!;
  const dir = path.join(tmp, 'fuzz-zh');
  const args = ['fuzz', '--protocol', 'hello', '--builtin', 'hello-course', '--clause', 'hello.invalid-utf8', '--runs', '3', '--time-limit', '30', '--seed', '1', '--record-dir', path.join(dir, 'recordings'), '--report', dir, '--json', path.join(dir, 'results.json')];
  const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [BIN, ...args, '--lang', 'zh'], { encoding: 'utf8', env, cwd: tmp });
  t.equal(r.status, 1, r.stderr);
  t.ok(r.stdout.includes(`clause: ${spec.zh.description}`), 'the terminal in Chinese');
  t.ok(readFileSync(path.join(dir, 'index.html'), 'utf8').includes(htmlEscape(spec.zh.description)), 'the report in Chinese');
  const rep = spawnSync(process.execPath, [BIN, 'report', path.join(dir, 'results.json'), '--out', path.join(tmp, 'rep-en'), '--lang', 'en'], { encoding: 'utf8', env });
  t.equal(rep.status, 0, rep.stderr);
  t.ok(readFileSync(path.join(tmp, 'rep-en', 'index.html'), 'utf8').includes(htmlEscape(spec.description)), 'report --lang en: English from the same results');
  const byLocale = spawnSync(process.execPath, [BIN, 'report', path.join(dir, 'results.json'), '--out', path.join(tmp, 'rep-zh')], { encoding: 'utf8', env: { ...env, LANG: 'zh_CN.UTF-8' } });
  t.equal(byLocale.status, 0, byLocale.stderr);
  t.ok(readFileSync(path.join(tmp, 'rep-zh', 'index.html'), 'utf8').includes(htmlEscape(spec.zh.description)), 'the default comes from LANG');
  for (const cmd of [['fuzz', '--protocol', 'hello', '--builtin', 'hello-course'], ['report', path.join(dir, 'results.json'), '--out', path.join(tmp, 'rep-fr')]]) {
    const bad = spawnSync(process.execPath, [BIN, ...cmd, '--lang', 'fr'], { encoding: 'utf8', env });
    t.equal(bad.status, 2, `${cmd[0]} --lang fr`);
    t.match(bad.stderr, /--lang takes zh or en, not "fr"/);
  }
});
