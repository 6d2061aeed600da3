// Hints for a stream built from parts the codec names: length headers, text, raw bytes.
import type { Hints } from './types';

export interface Part {
  bytes: Buffer;
  kind: 'header' | 'text' | 'binary';
  /** This part begins a new message (its start is a message boundary). */
  starts?: boolean;
}

/** The stream and what the codec knows about it. */
export function streamOf(parts: readonly Part[]): { bytes: Buffer; hints: Hints } {
  const messages: number[] = [];
  const headers: [number, number][] = [];
  const insideChars: number[] = [];
  const charBoundaries: number[] = [];
  const texts: [number, number][] = [];
  let off = 0;
  for (const p of parts) {
    if (p.starts && off > 0) messages.push(off);
    if (p.kind === 'header') headers.push([off, off + p.bytes.length]);
    if (p.kind === 'text' && p.bytes.length > 0) {
      texts.push([off, off + p.bytes.length]);
      for (let i = 1; i < p.bytes.length; i++) ((p.bytes[i] & 0xc0) === 0x80 ? insideChars : charBoundaries).push(off + i);
    }
    off += p.bytes.length;
  }
  const length = off;
  const inside = (c: number) => c > 0 && c < length;
  return {
    bytes: Buffer.concat(parts.map((p) => p.bytes)),
    hints: { messages: [...new Set(messages)].filter(inside), headers, insideChars: insideChars.filter(inside), charBoundaries: charBoundaries.filter(inside), texts },
  };
}

/** A stream of whole messages: each a header (framed) and a text body. */
export function messagesStream(bodies: readonly Buffer[], header?: (body: Buffer) => Buffer, kind: 'text' | 'binary' = 'text') {
  return streamOf(bodies.flatMap((b): Part[] => (header ? [{ bytes: header(b), kind: 'header', starts: true }, { bytes: b, kind }] : [{ bytes: b, kind, starts: true }])));
}
