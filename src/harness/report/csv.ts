// The gradebook CSV (RFC 4180): one row per submission, `student,score,max_score,failed,first_finding`
// (headings in the report's language). Cells a spreadsheet would run as a formula are defused.
import { failedCount, firstFinding, sortEntries, type ClassEntry } from './class';
import type { Messages } from './i18n';

/** One CSV field: quoted when it must be; a leading = + - @ (a formula in Excel or Sheets) gets a ' before it. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * scores.csv, sorted by name. Chinese headings come with a byte order mark: Excel opens a
 * UTF-8 file without one as the local code page and garbles them.
 */
export function toScoresCsv(entries: readonly ClassEntry[], msg: Messages): string {
  const h = msg.csv;
  const rows = [[h.student, h.score, h.max_score, h.failed, h.first_finding].map(csvField).join(',')];
  for (const e of sortEntries(entries, 'name')) {
    rows.push([e.name, e.grading.score, e.grading.max_score, e.error ? '' : failedCount(e), firstFinding(e, msg, 300)].map(csvField).join(','));
  }
  return `${msg.lang === 'zh' ? '\ufeff' : ''}${rows.join('\r\n')}\r\n`;
}
