// The class report: one self-contained HTML page over many submissions of one assignment
// (inline CSS and SVG, no script, no network). Pure: graded submissions in, HTML out. Sorting
// needs no script: the page is written twice, sorted by score and by name, linking each other.
import type { ClauseText, Level } from '../clause';
import { EXIT, exitCodeOf, unfinished, type ClauseResult, type RunResult } from '../runner/results';
import { WEIGHTS, type Grading } from './grading';
import { htmlEscape } from './html';
import { clauseText, type Messages } from './i18n';

/** One submission as the class report sees it. */
export interface ClassEntry {
  name: string;
  /** Its own report page, relative to the class report (absent when it was not graded). */
  page?: string;
  run?: RunResult;
  grading: Grading;
  /** Why it was not graded, in one sentence. */
  error?: string;
  /** What the teacher should know (the entry was guessed, a fixed port). */
  notes?: string[];
}

export interface ClassReportOptions {
  group: string;
  msg: Messages;
  sortedBy: 'score' | 'name';
  /** The same report in the other order. */
  otherPage: string;
  command?: string;
  version: string;
  seed?: number;
  title?: string;
}

/** The id of a finding's section in a page of renderHtml (run 0): keep in step with html.ts. */
export const findingAnchor = (id: string) => `f0-${id.replace(/[^a-z0-9.-]/gi, '_')}`;

export const hasRealFinding = (c: ClauseResult) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY';

/** Share of the points, 0..1 (0 when nothing was gradable). */
export const shareOf = (g: Grading) => (g.max_score > 0 ? g.score / g.max_score : 0);

/** Highest score first, then by name; by name alone for the other page. */
export function sortEntries(entries: readonly ClassEntry[], by: 'score' | 'name'): ClassEntry[] {
  const byName = (a: ClassEntry, b: ClassEntry) => a.name.localeCompare(b.name);
  return [...entries].sort(by === 'name' ? byName : (a, b) => shareOf(b.grading) - shareOf(a.grading) || b.grading.score - a.grading.score || byName(a, b));
}

export interface ClauseShare {
  id: string;
  level: Level;
  /** Graded submissions it applies to. */
  applies: number;
  failed: number;
  /** Blocked by an earlier finding, not run, or cut short before its boundary cases. */
  notTried: number;
  share: number;
  /** The first submission (by name) that fails it. */
  example?: string;
  /** How the failures show: verdict -> submissions. */
  verdicts: Record<string, number>;
  description: string;
  expectation: string;
  /** The texts in Chinese (clauseText picks them; absent in results older than them). */
  zh?: ClauseText;
}

/**
 * Every clause with the share of the class that fails it, most failed first: MUST and ROBUST
 * clauses, then ADVISORY ones (they cost no points: most lesson servers fail them by design).
 */
export function clauseShares(entries: readonly ClassEntry[]): ClauseShare[] {
  const rank: Record<Level, number> = { MUST: 0, ROBUST: 1, ADVISORY: 2 };
  const byId = new Map<string, ClauseShare>();
  for (const e of sortEntries(entries, 'name')) {
    for (const c of e.run?.clauses ?? []) {
      const s = byId.get(c.id) ?? { id: c.id, level: c.level, applies: 0, failed: 0, notTried: 0, share: 0, verdicts: {}, description: c.description, expectation: c.expectation, zh: c.zh };
      byId.set(c.id, s);
      s.zh ??= c.zh; // a submission's stored results may predate the Chinese texts
      if (c.status === 'not-applicable') continue;
      s.applies++;
      if (c.status === 'fail') {
        s.failed++;
        s.example ??= e.name;
        s.verdicts[c.verdict] = (s.verdicts[c.verdict] ?? 0) + 1;
      } else if (c.status !== 'pass' || c.skipped) s.notTried++;
    }
  }
  const out = [...byId.values()].filter((s) => s.applies > 0);
  for (const s of out) s.share = s.failed / s.applies;
  const advisory = (s: ClauseShare) => (s.level === 'ADVISORY' ? 1 : 0);
  return out.sort((a, b) => advisory(a) - advisory(b) || b.share - a.share || rank[a.level] - rank[b.level] || a.id.localeCompare(b.id));
}

/** The first MUST/ROBUST finding in one line (clause, verdict in words, what happened). */
export function firstFinding(e: ClassEntry, msg: Messages, max = 160): string {
  if (e.error) return e.error;
  const c = e.run?.clauses.find(hasRealFinding);
  if (!c) {
    const missing = e.run ? unfinished(e.run) : [];
    return missing.length ? `${msg.cell.incomplete}: ${missing.map((x) => x.id).join(', ')}` : '';
  }
  const words = msg.verdict[c.verdict];
  // "the server crashed: ..." needs no "(the server crashed)" before it.
  const line = (c.summary.toLowerCase().startsWith(words.toLowerCase()) ? `${c.id}: ${c.summary}` : `${c.id} (${words}): ${c.summary}`).replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** No finding, but some MUST/ROBUST clause did not run: no verdict of "pass" (fuzz's exit 4). A run with findings is graded even when clauses are blocked by them. */
export const isIncomplete = (r: RunResult) => exitCodeOf([r]) === EXIT.incomplete;

export const failedCount = (e: ClassEntry) => e.run?.clauses.filter(hasRealFinding).length ?? 0;

const pct = (x: number) => `${Math.round(x * 100)}%`;
const href = (page: string, anchor?: string) => htmlEscape(`${page.split('/').map(encodeURIComponent).join('/')}${anchor ? `#${anchor}` : ''}`);
const LEVEL_COLOUR: Record<Level, string> = { MUST: '#c62828', ROBUST: '#ef6c00', ADVISORY: '#d4a017' };

/** Horizontal bars, one per clause: the share of the class that fails it. */
export function clauseChart(shares: readonly ClauseShare[], msg: Messages): string {
  const row = 22;
  const label = 250;
  const bar = 380;
  const h = shares.length * row + 30;
  const bars = shares.map((s, i) => {
    const y = i * row + 24;
    const w = Math.max(s.failed ? 2 : 0, Math.round(s.share * bar));
    const tip = `${s.id} [${msg.level[s.level]}]: ${s.failed}/${s.applies} ${msg.report.failedBy} (${pct(s.share)})`;
    return `<a href="#clause-${htmlEscape(s.id)}"><g class="bar"><title>${htmlEscape(tip)}</title>`
      + `<text x="${label - 6}" y="${y + 14}" text-anchor="end">${htmlEscape(s.id)}</text>`
      + `<rect x="${label}" y="${y + 3}" width="${bar}" height="${row - 6}" fill="#eee"/>`
      + `<rect class="fill" x="${label}" y="${y + 3}" width="${w}" height="${row - 6}" fill="${LEVEL_COLOUR[s.level]}"/>`
      + `<text x="${label + bar + 6}" y="${y + 14}">${pct(s.share)} (${s.failed}/${s.applies})</text></g></a>`;
  });
  const legend = (['MUST', 'ROBUST', 'ADVISORY'] as const).map((l, i) => `<rect x="${label + i * 110}" y="4" width="12" height="12" fill="${LEVEL_COLOUR[l]}"/><text x="${label + i * 110 + 16}" y="15">${htmlEscape(msg.level[l])}</text>`).join('');
  return `<svg class="chart" role="img" aria-label="${htmlEscape(msg.report.chartTitle)}" xmlns="http://www.w3.org/2000/svg" width="${label + bar + 110}" height="${h}" viewBox="0 0 ${label + bar + 110} ${h}" font-size="12" font-family="system-ui,sans-serif"><title>${htmlEscape(msg.report.chartTitle)}</title>${legend}${bars.join('')}</svg>`;
}

/** How many submissions got each tenth of the points (the last bar: all of them). */
export function scoreChart(entries: readonly ClassEntry[], msg: Messages): string {
  const bins = new Array(11).fill(0) as number[];
  for (const e of entries) bins[Math.min(10, Math.floor(shareOf(e.grading) * 10 + 1e-9))]++;
  const most = Math.max(1, ...bins);
  const bw = 44;
  const plot = 120;
  const w = bins.length * bw + 20;
  const bars = bins.map((n, i) => {
    const hgt = Math.round((n / most) * plot);
    const x = 10 + i * bw;
    const what = i === 10 ? '100%' : `${i * 10}–${i * 10 + 9}%`;
    return `<g><title>${htmlEscape(`${what}: ${n}`)}</title><rect x="${x + 4}" y="${20 + plot - hgt}" width="${bw - 8}" height="${hgt}" fill="${i === 10 ? '#2e7d32' : '#5c6bc0'}"/>`
      + `<text x="${x + bw / 2}" y="${16 + plot - hgt}" text-anchor="middle">${n || ''}</text>`
      + `<text x="${x + bw / 2}" y="${plot + 36}" text-anchor="middle" font-size="10">${what}</text></g>`;
  });
  return `<svg class="chart scores" role="img" aria-label="${htmlEscape(msg.report.scoresChartTitle)}" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${plot + 60}" viewBox="0 0 ${w} ${plot + 60}" font-size="12" font-family="system-ui,sans-serif"><title>${htmlEscape(msg.report.scoresChartTitle)}</title>${bars.join('')}<text x="${w / 2}" y="${plot + 54}" text-anchor="middle" font-size="11">${htmlEscape(msg.report.scoresAxis)}</text></svg>`;
}

function cell(e: ClassEntry, id: string, msg: Messages): string {
  if (e.error || !e.run) return `<td class="not-graded">${htmlEscape(msg.cell.notGraded)}</td>`;
  const c = e.run.clauses.find((x) => x.id === id);
  if (!c) return '<td class="not-run">—</td>';
  const tip = htmlEscape(c.summary);
  if (c.status === 'pass') return c.skipped ? `<td class="incomplete" title="${tip}">${htmlEscape(msg.cell.incomplete)}</td>` : `<td class="pass">${htmlEscape(msg.cell.pass)}</td>`;
  if (c.status === 'not-run') return `<td class="not-run" title="${tip}">${htmlEscape(msg.cell.notRun)}</td>`;
  if (c.status === 'not-applicable') return `<td class="not-applicable" title="${tip}">${htmlEscape(msg.cell.na)}</td>`;
  if (c.status === 'blocked') return `<td class="blocked" title="${tip}">${htmlEscape(msg.cell.blocked)}</td>`;
  const cls = c.effectiveLevel === 'ADVISORY' ? 'advisory' : 'fail';
  const label = htmlEscape(msg.short[c.verdict]);
  return `<td class="${cls}" title="${tip}">${e.page ? `<a href="${href(e.page, findingAnchor(id))}">${label}</a>` : label}</td>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
.pass{background:#e3f6e3}.fail{background:#fbe0e0}.advisory{background:#fff4d6}.not-run,.incomplete{background:#e6ddf7;color:#4a3a70}.not-applicable{background:#f4f4f4;color:#999}.blocked{background:#f0e6e0;color:#7a5a48}.not-graded{background:#eee;color:#666}
.lvl{font-size:12px;color:#555}.num{text-align:right;white-space:nowrap}.matrix td{font-size:12px;white-space:nowrap}.matrix thead th.student{writing-mode:vertical-rl;transform:rotate(180deg);max-height:14em;overflow:hidden}
.error{color:#8a1c1c}.note{color:#555;font-size:12px}.chart{max-width:100%;height:auto;display:block;margin:.5em 0}.chart a:hover text{text-decoration:underline}nav a{margin-right:1em}.scroll{overflow-x:auto}`;

export function renderClassHtml(entries: readonly ClassEntry[], opts: ClassReportOptions): string {
  const { msg } = opts;
  const r = msg.report;
  const sorted = sortEntries(entries, opts.sortedBy);
  const graded = entries.filter((e) => !e.error && e.run);
  const shares = clauseShares(entries);
  const scores = graded.map((e) => shareOf(e.grading)).sort((a, b) => a - b);
  const median = scores.length ? pct(scores.length % 2 ? scores[(scores.length - 1) / 2] : (scores[scores.length / 2 - 1] + scores[scores.length / 2]) / 2) : '—';
  const incomplete = graded.filter((e) => isIncomplete(e.run!));
  const title = opts.title ?? r.title(opts.group);

  const nav = `<nav>${opts.sortedBy === 'score' ? `<b>${htmlEscape(r.sortedByScore)}</b> <a href="${href(opts.otherPage)}">${htmlEscape(r.sortByName)}</a>` : `<b>${htmlEscape(r.sortedByName)}</b> <a href="${href(opts.otherPage)}">${htmlEscape(r.sortByScore)}</a>`}</nav>`;

  const studentRows = sorted.map((e) => {
    const name = e.page ? `<a href="${href(e.page)}">${htmlEscape(e.name)}</a>` : htmlEscape(e.name);
    const notes = (e.notes ?? []).map((n) => `<div class="note">${htmlEscape(n)}</div>`).join('');
    const finding = htmlEscape(firstFinding(e, msg, 240));
    return `<tr class="student"><td>${name}${notes}</td><td class="num">${e.grading.score}/${e.grading.max_score}</td><td class="num">${pct(shareOf(e.grading))}</td><td class="num">${e.error ? '—' : failedCount(e)}</td><td${e.error ? ' class="error"' : ''}>${finding}</td></tr>`;
  });
  const studentTable = `<table class="students"><thead><tr><th>${htmlEscape(r.student)}</th><th>${htmlEscape(r.score)}</th><th>%</th><th>${htmlEscape(r.failed)}</th><th>${htmlEscape(r.firstFinding)}</th></tr></thead><tbody>${studentRows.join('')}</tbody></table>`;

  const clauseRows = shares.map((s) => {
    const example = s.example ? entries.find((e) => e.name === s.example) : undefined;
    const link = example?.page ? `<a href="${href(example.page, findingAnchor(s.id))}">${htmlEscape(example.name)}</a>` : '—';
    const how = Object.entries(s.verdicts).sort((a, b) => b[1] - a[1]).map(([v, n]) => `${msg.short[v as keyof typeof msg.short] ?? v} ×${n}`).join(', ');
    return `<tr id="clause-${htmlEscape(s.id)}"><th title="${htmlEscape(clauseText(s, msg.lang).description)}">${htmlEscape(s.id)}</th><td class="lvl">${htmlEscape(msg.level[s.level])}</td><td class="num">${s.failed}/${s.applies}</td><td class="num">${pct(s.share)}</td><td>${htmlEscape(how)}</td><td class="num">${s.notTried}</td><td>${link}</td></tr>`;
  });
  const clauseTable = `<table class="clauses"><thead><tr><th>${htmlEscape(r.clause)}</th><th>${htmlEscape(r.level)}</th><th>${htmlEscape(r.failedBy)}</th><th>%</th><th>${htmlEscape(r.verdicts)}</th><th>${htmlEscape(r.notTried)}</th><th>${htmlEscape(r.example)}</th></tr></thead><tbody>${clauseRows.join('')}</tbody></table>`;

  const head = sorted.map((e) => `<th class="student" title="${htmlEscape(e.name)}">${e.page ? `<a href="${href(e.page)}">${htmlEscape(e.name)}</a>` : htmlEscape(e.name)}</th>`).join('');
  const scoreRow = `<tr><th>${htmlEscape(r.score)}</th><td></td>${sorted.map((e) => `<td class="num">${e.grading.score}/${e.grading.max_score}</td>`).join('')}</tr>`;
  const matrixRows = shares.map((s) => `<tr><th title="${htmlEscape(clauseText(s, msg.lang).description)}">${htmlEscape(s.id)}</th><td class="lvl">${htmlEscape(msg.level[s.level])} · ${WEIGHTS[s.level]}</td>${sorted.map((e) => cell(e, s.id, msg)).join('')}</tr>`);
  const matrix = `<div class="scroll"><table class="matrix"><thead><tr><th>${htmlEscape(r.clause)}</th><th>${htmlEscape(r.level)}</th>${head}</tr></thead><tbody>${scoreRow}${matrixRows.join('')}</tbody></table></div>`;

  return `<!doctype html>
<html lang="${msg.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${htmlEscape(title)}</title><style>${CSS}</style></head>
<body><h1>${htmlEscape(title)}</h1>
<p>${htmlEscape(r.summary(graded.length, entries.length, median))} ${htmlEscape(r.footer(opts.version, opts.seed !== undefined ? String(opts.seed) : '—'))}${opts.command ? ` · ${htmlEscape(r.reproduce)} <code>${htmlEscape(opts.command)}</code>` : ''}</p>
${nav}
${incomplete.length ? `<p class="incomplete">${htmlEscape(r.incompleteNote(incomplete.length))}</p>` : ''}
<h2>${htmlEscape(r.scoresHeading)}</h2>
${scoreChart(graded, msg)}
<h2>${htmlEscape(r.clausesHeading)}</h2>
<p>${htmlEscape(r.clausesIntro)}</p>
${shares.length ? `${clauseChart(shares, msg)}${clauseTable}` : `<p>${htmlEscape(r.none)}</p>`}
<h2>${htmlEscape(r.submissionsHeading)}</h2>
${studentTable}
<h2>${htmlEscape(r.matrixHeading)}</h2>
<p>${htmlEscape(r.matrixIntro)}</p>
${matrix}
<p class="note">${htmlEscape(r.files)}</p>
</body></html>
`;
}
