// Readers for reply streams that carry no framing: the client must never assume one read is
// one reply, so replies are counted by bytes (fixed replies) or by parsing (JSON objects).
import { CodecError } from '../../harness/errors';

export interface FixedCount {
  /** Bytes of the prefix (welcome) received so far match the expected prefix. */
  prefixOk: boolean;
  /** Whole copies of `unit` received after the prefix. */
  count: number;
  /** Bytes received past the last whole unit (a reply still arriving). */
  partial: number;
  /** Offset (into the received bytes) of the first byte that matches nothing expected, or -1. */
  mismatchAt: number;
}

/** Counts `prefix` followed by repeated `unit`s in `received`, and finds the first wrong byte. */
export function countFixed(received: Buffer, prefix: Buffer, unit: Buffer): FixedCount {
  const p = Math.min(prefix.length, received.length);
  for (let i = 0; i < p; i++) {
    if (received[i] !== prefix[i]) return { prefixOk: false, count: 0, partial: 0, mismatchAt: i };
  }
  if (received.length < prefix.length) return { prefixOk: true, count: 0, partial: 0, mismatchAt: -1 };
  let count = 0;
  let off = prefix.length;
  if (unit.length === 0) return { prefixOk: true, count: 0, partial: 0, mismatchAt: received.length > off ? off : -1 };
  while (off < received.length) {
    const take = Math.min(unit.length, received.length - off);
    for (let i = 0; i < take; i++) {
      if (received[off + i] !== unit[i]) return { prefixOk: true, count, partial: 0, mismatchAt: off + i };
    }
    if (take < unit.length) return { prefixOk: true, count, partial: take, mismatchAt: -1 };
    count++;
    off += unit.length;
  }
  return { prefixOk: true, count, partial: 0, mismatchAt: -1 };
}

/**
 * Splits a byte stream of concatenated JSON objects (`{...}{...}`, whitespace allowed between)
 * without needing them to arrive one per read. Works on bytes: `{`, `}`, `"` and `\` are ASCII,
 * so multi-byte UTF-8 inside strings never confuses it.
 */
export class JsonObjectStream {
  private buf: Buffer[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private total = 0;

  /** True when part of an object has been received but not its end. */
  get midObject(): boolean {
    return this.started;
  }

  push(chunk: Buffer): unknown[] {
    const out: unknown[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (!this.started) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          from = i + 1;
          continue;
        }
        if (c !== 0x7b) throw new CodecError('ERR_JSON', `expected a JSON object, got byte 0x${c.toString(16).padStart(2, '0')}`);
        this.started = true;
        from = i;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b) this.depth++;
      else if (c === 0x7d && --this.depth === 0) {
        this.buf.push(chunk.subarray(from, i + 1));
        const text = Buffer.concat(this.buf).toString('utf8');
        this.buf = [];
        this.total = 0;
        this.started = false;
        from = i + 1;
        try {
          out.push(JSON.parse(text));
        } catch {
          throw new CodecError('ERR_JSON', `reply is not valid JSON: ${text.slice(0, 80)}`);
        }
      }
    }
    if (this.started && from < chunk.length) {
      this.buf.push(chunk.subarray(from));
      this.total += chunk.length - from;
      if (this.total > 1 << 20) throw new CodecError('ERR_JSON', 'a JSON reply longer than 1 MiB never ended');
    }
    return out;
  }
}

/** The lesson upload header: ASCII decimal digits and nothing else. */
export function parseSizeHeader(bytes: Buffer, max: number): number {
  const text = bytes.toString('latin1');
  if (!/^[0-9]+$/.test(text)) throw new CodecError('ERR_SIZE_HEADER', 'the size header is not a decimal number');
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n > max) throw new CodecError('ERR_SIZE_TOO_LARGE', `the announced size ${text} exceeds the limit of ${max} bytes`);
  return n;
}
