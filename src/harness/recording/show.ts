// A recording as text: both directions, hex and text, one line per event.
import { printable } from '../text';
import type { Recording } from './load';

export function showRecording(rec: Recording): string {
  const h = rec.header;
  const lines = [
    `sockspec recording (schema ${h.schema}, sockspec ${h.sockspecVersion}), created ${h.createdAt}`,
    `protocol ${h.protocol}/${h.profile} · ${h.target}${h.clause ? ` · clause ${h.clause}` : ''}${h.seed !== undefined ? ` · seed ${h.seed}` : ''}${h.path ? ` · path ${h.path}` : ''}`,
  ];
  if (h.sockspecPlayed === 'server') lines.push('sockspec played the server: a client under test (replay it with --spawn-client)');
  if (h.verdict) lines.push(`finding: ${h.verdict}${h.summary ? `: ${h.summary}` : ''}`);
  if (h.client) {
    const files = Object.entries(h.client.files ?? {}).map(([name, f]) => `${name} (${Buffer.isBuffer(f) ? f.length : f.size} bytes${Buffer.isBuffer(f) ? '' : ', made again from the clause input'})`);
    lines.push(`the client's stdin: ${JSON.stringify(h.client.stdin)}${files.length ? ` · files: ${files.join(', ')}` : ''}`);
  }
  lines.push('');
  for (const e of rec.events) {
    const arrow = e.dir === 'c2s' ? 'client → server' : 'server → client';
    const head = `${(e.t / 1000).toFixed(3).padStart(10)} ms  #${e.conn}  ${arrow}  ${e.kind.toUpperCase()}`;
    if (e.kind === 'data' && e.bytes) {
      lines.push(`${head} ${e.length ?? e.bytes.length} bytes`);
      for (let off = 0; off < e.bytes.length; off += 16) {
        const row = e.bytes.subarray(off, off + 16);
        lines.push(`      ${off.toString(16).padStart(6, '0')}  ${row.toString('hex').replace(/(..)/g, '$1 ').padEnd(48)}  ${printable(row)}`);
      }
      if (e.length !== undefined && e.length > e.bytes.length) lines.push(`      … ${e.length - e.bytes.length} more bytes not kept`);
    } else if (e.kind === 'exit') lines.push(`${head} code ${e.code ?? '-'} signal ${e.signal ?? '-'}`);
    else lines.push(head);
  }
  return lines.join('\n');
}
