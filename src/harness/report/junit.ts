// JUnit XML: one testsuite per run, one testcase per clause; failures carry the verdict and
// expected/observed so CI systems show them. ADVISORY findings are reported as skipped notes.
import type { ClauseResult, RunResult } from '../runner/results';

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  return s
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Why a clause is reported skipped: ADVISORY findings, and clauses that did not (fully) run. */
function skipReason(c: ClauseResult): string | undefined {
  if (c.status === 'fail') return c.effectiveLevel === 'ADVISORY' ? `ADVISORY: ${c.summary}` : undefined;
  if (c.status === 'pass') return c.skipped ? `incomplete: ${c.summary}` : undefined;
  return `${c.status}: ${c.summary}`;
}

export function toJUnit(runs: RunResult[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="sockspec">'];
  for (const r of runs) {
    const failures = r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY').length;
    const skipped = r.clauses.filter((c) => skipReason(c) !== undefined).length;
    out.push(
      `  <testsuite name="${xmlEscape(`${r.protocol}/${r.profile} ${r.target}`)}" tests="${r.clauses.length}" failures="${failures}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    );
    for (const c of r.clauses) {
      out.push(`    <testcase classname="${xmlEscape(`sockspec.${r.protocol}.${r.profile}`)}" name="${xmlEscape(`${c.id} [${c.level}]`)}" time="${(c.durationMs / 1000).toFixed(3)}">`);
      const body = [`verdict: ${c.verdict}`, c.summary, c.expected ? `expected: ${c.expected}` : '', c.observed ? `observed: ${c.observed}` : '', `seed: ${c.seed}${c.path ? ` path: ${c.path}` : ''}`].filter(Boolean).join('\n');
      if (c.status === 'fail' && c.effectiveLevel !== 'ADVISORY') out.push(`      <failure type="${c.verdict}" message="${xmlEscape(c.summary)}">${xmlEscape(body)}</failure>`);
      else if (skipReason(c) !== undefined) out.push(`      <skipped message="${xmlEscape(skipReason(c)!)}"/>`);
      if (c.stderrTail) out.push(`      <system-err>${xmlEscape(c.stderrTail)}</system-err>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
