// What every HTML report needs: escaping (everything from a server or a student is text), and
// a transcript event's bytes whether they are a Buffer (a run) or {hex, text} (results JSON).
import type { TranscriptEvent } from '../transcript';

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function bytesOf(e: TranscriptEvent): Buffer | undefined {
  const b = e.bytes as unknown;
  if (!b) return undefined;
  if (Buffer.isBuffer(b)) return b;
  if (typeof b === 'object' && b && 'hex' in b) return Buffer.from((b as { hex: string }).hex, 'hex');
  return undefined;
}
