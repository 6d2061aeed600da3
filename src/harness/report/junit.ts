// JUnit XML: one testsuite per run, one testcase per clause; failures carry the verdict and
// expected/observed so CI systems show them. ADVISORY findings are reported as skipped notes.
import type { RunResult } from '../runner/results';

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

export function toJUnit(runs: RunResult[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="sockspec">'];
  for (const r of runs) {
    const failures = r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY').length;
    const skipped = r.clauses.filter((c) => c.status === 'not-run' || (c.status === 'fail' && c.effectiveLevel === 'ADVISORY')).length;
    out.push(
      `  <testsuite name="${xmlEscape(`${r.protocol}/${r.profile} ${r.target}`)}" tests="${r.clauses.length}" failures="${failures}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    );
    for (const c of r.clauses) {
      out.push(`    <testcase classname="${xmlEscape(`sockspec.${r.protocol}.${r.profile}`)}" name="${xmlEscape(`${c.id} [${c.level}]`)}" time="${(c.durationMs / 1000).toFixed(3)}">`);
      const body = [`verdict: ${c.verdict}`, c.summary, c.expected ? `expected: ${c.expected}` : '', c.observed ? `observed: ${c.observed}` : '', `seed: ${c.seed}${c.path ? ` path: ${c.path}` : ''}`].filter(Boolean).join('\n');
      if (c.status === 'fail' && c.effectiveLevel !== 'ADVISORY') out.push(`      <failure type="${c.verdict}" message="${xmlEscape(c.summary)}">${xmlEscape(body)}</failure>`);
      else if (c.status === 'fail') out.push(`      <skipped message="${xmlEscape(`ADVISORY: ${c.summary}`)}"/>`);
      else if (c.status === 'not-run') out.push(`      <skipped message="${xmlEscape(c.summary)}"/>`);
      if (c.stderrTail) out.push(`      <system-err>${xmlEscape(c.stderrTail)}</system-err>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
