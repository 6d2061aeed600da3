// The conformance report: one self-contained HTML file (inline CSS, no script, no network).
// Everything that came from a server or a student is escaped.
import { unfinished, type ClauseResult, type RunResult } from '../runner/results';
import type { TranscriptEvent } from '../transcript';
import { describeLimits } from '../targets/limits';
import { printable } from '../text';
import { ladderSvg } from './ladder';
import { clauseText, testedWord, verdictWords, type Lang } from './i18n';
import { bytesOf, htmlEscape } from './markup';

export { htmlEscape };

/** How many bytes of one segment a transcript shows; the recording keeps them all. */
const SHOW_BYTES = 4096;

function hex(b: Buffer): string {
  return b.toString('hex').replace(/(..)/g, '$1 ').trim();
}

/**
 * How many events of a session the table shows at most: its first ones and its last ones. A
 * flooding server's session has tens of thousands (each read of its replies), which made a
 * report of megabytes no browser opens comfortably; the recording keeps them all.
 */
const SHOW_FIRST = 300;
const SHOW_LAST = 50;

function transcript(events: readonly TranscriptEvent[]): string {
  const cut = events.length > SHOW_FIRST + SHOW_LAST + 1;
  const shown = cut ? [...events.slice(0, SHOW_FIRST), ...events.slice(-SHOW_LAST)] : events;
  const rows = shown.map((e) => {
    const who = e.dir === 'c2s' ? 'client → server' : 'server → client';
    const b = bytesOf(e);
    let what = e.kind.toUpperCase();
    if (e.kind === 'data' && b) {
      const total = e.length ?? b.length;
      const shown = b.subarray(0, SHOW_BYTES);
      const cut = total > shown.length ? ` <em>(${total} bytes; first ${shown.length} shown, all in the recording)</em>` : ` <em>(${total} bytes)</em>`;
      what = `<code class="text">${htmlEscape(printable(shown))}</code>${cut}<br><code class="hex">${htmlEscape(hex(shown.subarray(0, 256)))}${shown.length > 256 ? ' …' : ''}</code>`;
    }
    return `<tr class="${e.dir}"><td>${(e.t / 1000).toFixed(1)} ms</td><td>#${e.conn}</td><td>${who}</td><td>${what}</td></tr>`;
  });
  if (cut) {
    const hidden = events.slice(SHOW_FIRST, -SHOW_LAST);
    const bytes = hidden.reduce((n, e) => n + (e.kind === 'data' ? (e.length ?? bytesOf(e)?.length ?? 0) : 0), 0);
    rows.splice(SHOW_FIRST, 0, `<tr class="cut"><td colspan="4"><em>… ${hidden.length} more events (${bytes} bytes) not shown here: the recording holds them all</em></td></tr>`);
  }
  return `<table class="wire"><thead><tr><th>time</th><th>conn</th><th>direction</th><th>segment</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Expected vs observed, the first difference and what follows it highlighted. */
function expectedObserved(expected: string, observed: string): string {
  const a = [...expected];
  const b = [...observed];
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const mark = (chars: string[]) => `${htmlEscape(chars.slice(0, i).join(''))}<mark>${htmlEscape(chars.slice(i).join(''))}</mark>`;
  return `<table class="eo"><tr><th>expected</th><td><code>${mark(a)}</code></td></tr><tr><th>observed</th><td><code>${mark(b)}</code></td></tr></table>`;
}

function finding(run: RunResult, c: ClauseResult, anchor: string, replay: string, lang: Lang): string {
  const text = clauseText(c, lang);
  return `<section class="finding" id="${anchor}">
<h3>${htmlEscape(c.id)} <span class="lvl">${c.effectiveLevel}</span> <span class="v ${c.verdict}">${htmlEscape(verdictWords(lang, c.verdict, c.tested))}</span></h3>
<p class="target">${htmlEscape(run.target)} · ${htmlEscape(run.protocol)}/${htmlEscape(run.profile)}</p>
<p><b>What happened:</b> ${htmlEscape(c.summary)}</p>
${c.hint ? `<p><b>Hint:</b> ${htmlEscape(c.hint)}</p>` : ''}
<p><b>DESCRIPTION</b> ${htmlEscape(text.description)}</p>
<p><b>EXPECTATION</b> ${htmlEscape(text.expectation)}</p>
${c.expected || c.observed ? expectedObserved(c.expected ?? '', c.observed ?? '') : ''}
${c.stderrTail ? `<p><b>The ${testedWord(c.tested)}'s stderr (last lines)</b></p><pre>${htmlEscape(c.stderrTail)}</pre>` : ''}
<p><b>The shrunk session</b> (${c.runs} runs, ${c.shrinks} shrink steps; seed ${c.seed}, path ${htmlEscape(c.path ?? '-')})</p>
${c.transcript?.length ? ladderSvg(c.transcript, c.verdict, run.stepMs) : ''}
${c.transcript ? transcript(c.transcript) : ''}
${c.recording ? `<p>Recording: <a href="${htmlEscape(c.recording)}">${htmlEscape(c.recording)}</a></p>` : ''}
${replay ? `<p>Reproduce: <code>${htmlEscape(replay)}</code></p>` : ''}
</section>`;
}

export interface ReportOptions {
  title?: string;
  /** The command that reproduces the whole run. */
  command?: string;
  /** The command that replays one finding. */
  replayCommand?: (run: RunResult, c: ClauseResult) => string;
  /** The language of the clause texts and verdict words (default en). */
  lang?: Lang;
  /** Other views of the same runs (npm start: the class view of each protocol and profile). */
  links?: readonly { href: string; text: string }[];
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
.pass{background:#e3f6e3}.fail{background:#fbe0e0}.advisory{background:#fff4d6}.not-run,.incomplete{background:#e6ddf7;color:#4a3a70}.not-applicable{background:#f4f4f4;color:#999}.blocked{background:#f0e6e0;color:#7a5a48}.lvl{font-size:12px;color:#555}
.v{font-size:13px;padding:1px 6px;border-radius:3px;background:#fbe0e0}.finding{border-top:2px solid #ddd;margin-top:2em}
mark{background:#ffd54d}.wire{width:100%}.wire td{font-size:12px}.wire td:last-child{word-break:break-all;white-space:pre-wrap}code{word-break:break-all}.ladder{display:block;max-width:100%;height:auto;margin:.5em 0}.c2s td{background:#f3f7ff}.s2c td{background:#fff7f0}code.hex{color:#666;font-size:11px}pre{background:#f6f6f6;padding:6px;overflow:auto}`;

/** How a run's spawned server was confined, in words for the header. */
function confinementWords(r: RunResult): string {
  const how = r.isolation === 'bubblewrap' ? 'confined by bubblewrap (read-only system, own sandbox folder, private /tmp, own PID namespace; network shared)' : "not confined (they ran with the tester's rights)";
  return r.limits ? `${how}; limits: ${describeLimits(r.limits)}` : how;
}

export function renderHtml(runs: RunResult[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'en';
  const findings: string[] = [];
  const cell = (r: RunResult, id: string, i: number) => {
    const c = r.clauses.find((x) => x.id === id);
    if (!c) return '<td class="not-run">—</td>';
    if (c.status === 'pass' && c.skipped) return `<td class="incomplete" title="${htmlEscape(c.summary)}">pass (${c.runs} of ${c.plannedRuns}): incomplete</td>`;
    if (c.status === 'pass') return `<td class="pass">${c.plannedRuns !== undefined && c.runs < c.plannedRuns ? `pass (${c.runs} of ${c.plannedRuns})` : 'pass'}</td>`;
    if (c.status === 'not-run') return `<td class="not-run" title="${htmlEscape(c.summary)}">not run</td>`;
    if (c.status === 'not-applicable') return `<td class="not-applicable" title="${htmlEscape(c.summary)}">n/a</td>`;
    if (c.status === 'blocked') return `<td class="blocked" title="${htmlEscape(c.summary)}">blocked by ${htmlEscape(c.blockedBy ?? '')}</td>`;
    const anchor = `f${i}-${id.replace(/[^a-z0-9.-]/gi, '_')}`;
    findings.push(finding(r, c, anchor, opts.replayCommand?.(r, c) ?? '', lang));
    const cls = c.effectiveLevel === 'ADVISORY' ? 'advisory' : 'fail';
    return `<td class="${cls}"><a href="#${anchor}">${htmlEscape(c.verdict)}</a></td>`;
  };
  // One matrix per protocol and profile: clauses down, targets across; servers, then clients.
  const groupOf = (r: RunResult) => `${r.protocol}/${r.profile}${r.tested === 'client' ? ' clients' : ''}`;
  const groups = [...new Set([...runs.filter((r) => r.tested !== 'client'), ...runs.filter((r) => r.tested === 'client')].map(groupOf))];
  const firstClients = groups.findIndex((g) => g.endsWith(' clients'));
  const tables = groups.map((g, gi) => {
    const cols = runs.map((r, i) => ({ r, i })).filter(({ r }) => groupOf(r) === g);
    const ids = [...new Set(cols.flatMap(({ r }) => r.clauses.map((c) => c.id)))];
    const level = (id: string) => cols.map(({ r }) => r.clauses.find((c) => c.id === id)?.level).find(Boolean) ?? '';
    const head = cols.map(({ r }) => `<th>${htmlEscape(r.target)}</th>`).join('');
    const rows = ids.map((id) => `<tr><th>${htmlEscape(id)}<br><span class="lvl">${level(id)}</span></th>${cols.map(({ r, i }) => cell(r, id, i)).join('')}</tr>`);
    const variants = [...new Set(cols.map(({ r }) => r.variant).filter(Boolean))];
    const variantLine = variants.length ? `<p>Variant: ${variants.map((v) => htmlEscape(v!)).join(' / ')}</p>` : '';
    const section = gi === firstClients ? `<h2 id="clients">Clients (sockspec played the server: <code>fuzz-client</code>)</h2>` : gi === 0 ? '<h2 id="servers">Servers</h2>' : '';
    return `${section}<h3>${htmlEscape(g)}</h3>${variantLine}<table class="matrix"><thead><tr><th>clause</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  });
  const totals = (['MUST', 'ROBUST', 'ADVISORY'] as const).map((lvl) => {
    const cs = runs.flatMap((r) => r.clauses.filter((c) => c.level === lvl));
    const n = (f: (c: ClauseResult) => boolean) => cs.filter(f).length;
    return `<li>${lvl}: ${n((c) => c.status === 'pass' && !c.skipped)} passed, ${n((c) => c.status === 'fail')} failed, ${n((c) => c.status === 'not-run' || (c.status === 'pass' && !!c.skipped))} not run or incomplete, ${n((c) => c.status === 'blocked')} blocked, ${n((c) => c.status === 'not-applicable')} not applicable</li>`;
  });
  const incomplete = runs.filter((r) => unfinished(r).length);
  const incompleteNote = incomplete.length
    ? `<p class="incomplete"><b>Incomplete:</b> ${incomplete.length} run(s) could not try every MUST and ROBUST clause (${[...new Set(incomplete.flatMap((r) => unfinished(r).map((c) => c.id)))].map(htmlEscape).join(', ')}), so they have no verdict of "pass". Give the run more time with <code>--time-limit SEC</code> (it was ${[...new Set(incomplete.map((r) => Math.round((r.timeLimitMs ?? 0) / 1000)))].join(', ')} s), or run the missing clauses alone with <code>--clause ID</code>.</p>`
    : '';
  const version = runs[0]?.sockspecVersion ?? '';
  const seeds = [...new Set(runs.map((r) => r.seed))].join(', ');
  const confinements = [...new Set(runs.filter((r) => r.isolation).map((r) => confinementWords(r)))];
  const confinementLine = confinements.length ? `<p>Spawned servers: ${confinements.map(htmlEscape).join(' / ')}</p>` : '';
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${htmlEscape(opts.title ?? 'sockspec conformance report')}</title><style>${CSS}</style></head>
<body><h1>${htmlEscape(opts.title ?? 'sockspec conformance report')}</h1>
<p>sockspec ${htmlEscape(version)} · seed ${htmlEscape(seeds)}${opts.command ? ` · reproduce with <code>${htmlEscape(opts.command)}</code>` : ''}</p>
${confinementLine}
${opts.links?.length ? `<p>Class views (scores, the clauses failed most): ${opts.links.map((l) => `<a href="${htmlEscape(l.href)}">${htmlEscape(l.text)}</a>`).join(' · ')}</p>` : ''}
<ul>${totals.join('')}</ul>
${incompleteNote}
<p>Green: passed. Red: a MUST or ROBUST failure. Yellow: ADVISORY (a limit of the unframed lesson protocol, reported only). Violet: not run or incomplete (no verdict). Brown: blocked by an earlier finding it depends on. Grey: does not apply to this variant. Click a verdict for its session.</p>
${tables.join('\n')}
<h2>Findings</h2>${findings.join('\n') || '<p>None.</p>'}
</body></html>
`;
}
