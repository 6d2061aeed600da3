// The framed profile: a 4-byte little-endian *signed* length header, then that many bytes
// (the course's struct.pack('i', n)). Incremental: bytes may arrive in any chunking.
import type { Profile } from '../../harness/protocol';
import { CodecError } from '../../harness/errors';
import { messagesStream } from '../../harness/faults';

export const HEADER_BYTES = 4;
/** The largest frame any framed profile can express (int32 max). */
export const INT32_MAX = 0x7fffffff;

export function frameHeader(length: number): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeInt32LE(length | 0, 0);
  return b;
}

export function encodeFrame(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([frameHeader(body.length), body]);
}

/**
 * The profile as a message layer: one message as it goes on the wire (lesson: its bytes as
 * they are; framed: behind its 4-byte length).
 */
export function onTheWire(profile: Profile, payload: Buffer | string): Buffer {
  if (profile === 'framed') return encodeFrame(payload);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

/**
 * Messages as the profile puts them on the wire, with what faults need to know of the stream:
 * where messages begin, the framed headers, the characters of each text.
 */
export function wireStream(profile: Profile, payloads: readonly (Buffer | string)[], kind: 'text' | 'binary' = 'text') {
  const bodies = payloads.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
  return messagesStream(bodies, profile === 'framed' ? (b) => frameHeader(b.length) : undefined, kind);
}

export interface FrameEvents {
  /** A header was decoded; `length` bytes of body follow. */
  onHeader?(length: number): void;
  /** A piece of the current frame's body (never copied). */
  onBody?(chunk: Buffer): void;
  /** The current frame is complete. */
  onEnd?(): void;
}

/**
 * Streams frames without ever holding a whole body: a GiB frame costs no memory here.
 * Negative or over-limit lengths raise a CodecError with a stable code.
 */
export class FrameStreamDecoder {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private remaining = -1; // -1: reading a header
  constructor(private readonly maxLength: number, private readonly events: FrameEvents) {}

  /** True while part of a frame (header or body) has been read but not all of it. */
  get midFrame(): boolean {
    return this.headerFill > 0 || this.remaining >= 0;
  }

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.remaining < 0) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - off);
        chunk.copy(this.header, this.headerFill, off, off + take);
        this.headerFill += take;
        off += take;
        if (this.headerFill < HEADER_BYTES) return;
        this.headerFill = 0;
        const length = this.header.readInt32LE(0);
        if (length < 0) throw new CodecError('ERR_FRAME_NEGATIVE', `frame length ${length} is negative`);
        if (length > this.maxLength) {
          throw new CodecError('ERR_FRAME_TOO_LARGE', `frame length ${length} exceeds the limit of ${this.maxLength} bytes`);
        }
        this.remaining = length;
        this.events.onHeader?.(length);
        if (length === 0) this.finish();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - off);
      this.events.onBody?.(off === 0 && take === chunk.length ? chunk : chunk.subarray(off, off + take));
      this.remaining -= take;
      off += take;
      if (this.remaining === 0) this.finish();
    }
  }

  private finish(): void {
    this.remaining = -1;
    this.events.onEnd?.();
  }
}

/** Collects whole frames (for small frames: messages, JSON headers, replies). */
export class FrameDecoder {
  private parts: Buffer[] = [];
  private done: Buffer[] = [];
  private readonly stream: FrameStreamDecoder;
  constructor(maxLength: number) {
    this.stream = new FrameStreamDecoder(maxLength, {
      onBody: (c) => this.parts.push(c),
      onEnd: () => {
        this.done.push(Buffer.concat(this.parts));
        this.parts = [];
      },
    });
  }
  get midFrame(): boolean {
    return this.stream.midFrame;
  }
  push(chunk: Buffer): Buffer[] {
    this.stream.push(chunk);
    const out = this.done;
    this.done = [];
    return out;
  }
}
