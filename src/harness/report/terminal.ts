// What the user reads in a terminal: a summary table and each finding, as plain strings.
import type { ClauseResult, RunResult } from '../runner/results';
import { printable } from '../text';
import { clauseText, testedWord, verdictWords, type Lang } from './i18n';

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const NO_COLOR: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };
export const ANSI: Paint = {
  red: (s) => `\x1b[31m${s}\x1b[0m`,
  green: (s) => `\x1b[32m${s}\x1b[0m`,
  yellow: (s) => `\x1b[33m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
  bold: (s) => `\x1b[1m${s}\x1b[0m`,
};

export function statusWord(c: ClauseResult, p: Paint): string {
  if (c.status === 'pass') {
    if (c.plannedRuns !== undefined && c.runs < c.plannedRuns) return c.skipped ? p.yellow(`pass (${c.runs} of ${c.plannedRuns} sessions): incomplete`) : p.green(`pass (${c.runs} of ${c.plannedRuns} sessions)`);
    return p.green('pass');
  }
  if (c.status === 'not-run') return p.yellow('not run');
  if (c.status === 'not-applicable') return p.dim('not applicable');
  if (c.status === 'blocked') return p.yellow(`blocked by ${c.blockedBy}`);
  return c.effectiveLevel === 'ADVISORY' ? p.yellow(`advisory: ${c.verdict}`) : p.red(`FAIL: ${c.verdict}`);
}

export function summaryTable(r: RunResult, p: Paint): string {
  const w = Math.max(6, ...r.clauses.map((c) => c.id.length));
  const lines = [p.bold(`${'clause'.padEnd(w)}  level     verdict`)];
  for (const c of r.clauses) lines.push(`${c.id.padEnd(w)}  ${c.effectiveLevel.padEnd(8)}  ${statusWord(c, p)}`);
  return lines.join('\n');
}

function sessionLines(c: ClauseResult): string[] {
  const out: string[] = [];
  for (const e of c.transcript ?? []) {
    const arrow = e.dir === 'c2s' ? 'client → server' : 'server → client';
    if (e.kind === 'data' && e.bytes) {
      const b = Buffer.isBuffer(e.bytes) ? e.bytes : Buffer.alloc(0);
      const n = e.length ?? b.length;
      const shown = printable(b.subarray(0, 120));
      out.push(`    #${e.conn} ${arrow}  ${n} byte${n === 1 ? '' : 's'}: ${shown}${b.length > 120 ? '…' : ''}  [${b.subarray(0, 24).toString('hex')}${b.length > 24 ? '…' : ''}]`);
    } else if (e.kind !== 'close') out.push(`    #${e.conn} ${arrow}  ${e.kind.toUpperCase()}`);
  }
  return out.length > 40 ? [...out.slice(0, 36), `    … ${out.length - 36} more events (see the JSON or HTML report)`] : out;
}

/** One finding in words; `lang` picks the clause's texts and the verdict words. */
export function findingText(c: ClauseResult, replay: string, p: Paint, lang: Lang = 'en'): string {
  const text = clauseText(c, lang);
  const lines = [
    p.bold(`${c.effectiveLevel === 'ADVISORY' ? p.yellow('ADVISORY') : p.red(c.effectiveLevel)} ${c.id}: ${verdictWords(lang, c.verdict, c.tested)}`),
    `  ${c.summary}`,
    ...(c.hint ? [`  ${p.bold('hint:')} ${c.hint}`] : []),
    `  ${p.dim('clause:')} ${text.description}`,
    `  ${p.dim('expected:')} ${c.expected ?? text.expectation}`,
  ];
  if (c.observed) lines.push(`  ${p.dim('observed:')} ${c.observed}`);
  lines.push(`  ${p.dim(`the shrunk session (after ${c.runs} runs and ${c.shrinks} shrink steps):`)}`, ...sessionLines(c));
  if (c.stderrTail) lines.push(`  ${p.dim(`${testedWord(c.tested)}'s stderr (last lines):`)}`, ...c.stderrTail.split('\n').slice(-8).map((l) => `    ${l}`));
  if (c.recording) lines.push(`  ${p.dim('recording:')} ${c.recording}`);
  lines.push(`  ${p.dim('replay:')} ${replay}`);
  return lines.join('\n');
}
