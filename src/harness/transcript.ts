// The byte-exact record of a session: what each side wrote or saw, in order, with timing.

export type Direction = 'c2s' | 's2c';
export type EventKind = 'connect' | 'data' | 'fin' | 'rst' | 'close' | 'exit';

export interface TranscriptEvent {
  /** Connection number within the session (0, 1, ...). */
  conn: number;
  dir: Direction;
  kind: EventKind;
  /** Microseconds since the session started (monotonic). */
  t: number;
  /** The exact bytes of a data segment (client side: as written; server side: as read). */
  bytes?: Buffer;
  /** Bytes of a data segment not kept in memory (large uploads); `bytes` then holds the start. */
  length?: number;
  /** exit events: the server's code or signal. */
  code?: number | null;
  signal?: string | null;
}

export class Transcript {
  readonly events: TranscriptEvent[] = [];
  private readonly start = process.hrtime.bigint();
  private nextConn = 0;
  private kept = 0;
  private sealed = false;
  /**
   * Bytes of each data event kept in memory (longer segments keep their start and length),
   * and of all events together: a GiB session keeps its first `keepTotal` bytes and lengths.
   */
  constructor(
    readonly keepBytes = 1 << 20,
    readonly keepTotal = 16 << 20,
  ) {}

  now(): number {
    return Number((process.hrtime.bigint() - this.start) / 1000n);
  }

  newConn(): number {
    return this.nextConn++;
  }

  /** `shared`: the bytes are never changed afterwards (a generated body's views), so they are kept without a copy. */
  add(conn: number, dir: Direction, kind: EventKind, bytes?: Buffer, shared = false): void {
    if (!this.sealed) this.events.push(this.make(conn, dir, kind, bytes, shared));
  }

  /**
   * The session is over: what its connections see from now on (the server killed for the next
   * session closes them) is not the server's doing, and is not recorded.
   */
  seal(): void {
    this.sealed = true;
  }

  /** An event stamped now, not kept (for writers that stream events out). */
  make(conn: number, dir: Direction, kind: EventKind, bytes?: Buffer, shared = false): TranscriptEvent {
    const ev: TranscriptEvent = { conn, dir, kind, t: this.now() };
    if (bytes) {
      const keep = Math.max(0, Math.min(bytes.length, this.keepBytes, this.keepTotal - this.kept));
      ev.bytes = shared ? bytes.subarray(0, keep) : Buffer.from(bytes.subarray(0, keep));
      if (keep < bytes.length) ev.length = bytes.length;
      this.kept += keep;
    }
    return ev;
  }
}
