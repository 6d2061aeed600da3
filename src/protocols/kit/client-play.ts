// The played server of client testing: sockspec gives the server's side of one conversation
// to a student's client, each of its writes delivered through a fault (or whole), and reads
// what the client sends the way a careful server would (never one read = one message).
import type { ClientObservation, ClientScript, ClientSessionContext } from '../../harness/client-clause';
import { planOf, type WritePlan } from '../../harness/chunk';
import type { Endpoint } from '../../harness/endpoint';
import { FAULTS, streamOf, type Hints, type Part } from '../../harness/faults';
import type { Profile } from '../../harness/protocol';
import { frameHeader, HEADER_BYTES } from '../wire/framing';
import { waitWhileProgress } from './session';

/** Which texts the played server uses: the protocol's own, ones with multi-byte characters, or replies over one 1024-byte read. */
export type TextChoice = 'plain' | 'wide' | 'long';

/** One write of the played server: its parts (header, text) and whether the client should show it. */
export interface PlayedWrite {
  parts: Part[];
  /** The text a client prints (a reply), or undefined when printing it is not the client's job (JSON, acks). */
  shown?: string;
}

/** The message a played write carries: lesson its bytes, framed behind a length header. */
export function playedMessage(profile: Profile, body: Buffer | string, shown?: string): PlayedWrite {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const text: Part = { bytes, kind: 'text', starts: true };
  return { parts: profile === 'framed' ? [{ bytes: frameHeader(bytes.length), kind: 'header', starts: true }, { ...text, starts: false }] : [text], shown };
}

/** A played write as bytes and hints. */
export function streamOfWrite(w: PlayedWrite): { bytes: Buffer; hints: Hints } {
  return streamOf(w.parts);
}

/** How the session's faults reach the played server's writes. */
export interface Delivery {
  /** Which write (0: the first the server sends) the fault is applied to. */
  at: number;
  /** The plan of that write, from its bytes (the fault's apply). */
  plan?: (bytes: Buffer, hints: Hints) => WritePlan;
  /** Cut write `at` at this offset and hold the rest back, to go out with the next write in one segment. */
  holdFrom?: number;
}

/** Sends the played server's writes in order, each through the session's delivery. */
export class PlayedSender {
  private held: Buffer | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  /** The plan's ending closed or reset the connection: the conversation is over. */
  ended = false;
  sent = 0;

  constructor(
    private readonly ep: Endpoint,
    private readonly writes: readonly PlayedWrite[],
    private readonly delivery: Delivery | undefined,
    private readonly holdMs: number,
  ) {}

  /** Sends write `k`; false when the connection is gone or the fault ended it. */
  async send(k: number): Promise<boolean> {
    if (this.ended) return false;
    const { bytes, hints } = streamOfWrite(this.writes[k]);
    this.sent = k + 1;
    const d = this.delivery;
    if (this.held) {
      const tail = this.releaseHeld();
      // The held tail and this write as one segment: the client's next read gets both.
      const both = Buffer.concat([tail, bytes]);
      return this.carry(FAULTS.coalesce.apply({ segments: [tail, bytes], paced: [true], ending: { kind: 'open' } }, [tail.length]), both.length);
    }
    if (d && d.at === k && d.holdFrom !== undefined && k + 1 < this.writes.length) {
      this.held = bytes.subarray(d.holdFrom);
      // A client that waits for the whole write before it sends gets the rest after a while, as after a lost segment.
      this.holdTimer = setTimeout(() => void this.flush(), this.holdMs);
      return this.ep.write(bytes.subarray(0, d.holdFrom));
    }
    const plan = d && d.at === k && d.plan ? d.plan(bytes, hints) : planOf(bytes);
    return this.carry(plan, bytes.length);
  }

  private async carry(plan: WritePlan, _length: number): Promise<boolean> {
    const ok = await this.ep.sendPlan(plan);
    if (plan.ending.kind === 'close' || plan.ending.kind === 'reset' || plan.ending.kind === 'stall') this.ended = true;
    return ok && !this.ended;
  }

  private releaseHeld(): Buffer {
    clearTimeout(this.holdTimer);
    const tail = this.held!;
    this.held = undefined;
    return tail;
  }

  /** Sends what is held back, if anything (the hold's time is up, or the conversation ends). */
  async flush(): Promise<void> {
    if (this.held) await this.ep.write(this.releaseHeld());
  }

  /** The texts the client was sent whole and should have printed (all writes sent, none cut short). */
  shown(): string[] {
    return this.writes.slice(0, this.sent).flatMap((w) => (w.shown ? [w.shown] : []));
  }
}

/** What the client sends, read as a careful server reads it: across any number of reads. */
export class ClientReader {
  private offset = 0;
  constructor(
    private readonly ep: Endpoint,
    private readonly ctx: ClientSessionContext<unknown>,
  ) {}

  /** Bytes received and not yet taken. */
  get pending(): Buffer {
    return this.ep.received.subarray(this.offset);
  }

  /** The client closed its side or reset (or the socket is gone). */
  get ended(): boolean {
    return this.ep.finished;
  }

  /**
   * Waits for `n` more bytes, or the client's end or a step without progress (undefined). A
   * client that exited has its socket closed by the kernel after its last bytes: its end
   * comes as a FIN or RST, never before the bytes it sent.
   */
  async take(n: number): Promise<Buffer | undefined> {
    const want = this.offset + n;
    await waitWhileProgress(this.ep, () => this.ep.receivedBytes >= want, this.ctx.stepMs);
    if (this.ep.receivedBytes < want) return undefined;
    const out = this.ep.received.subarray(this.offset, want);
    this.offset = want;
    return out;
  }

  /** Lesson: the message the script makes the client send (exactly those bytes), or what came instead. */
  async expect(bytes: Buffer): Promise<{ ok: boolean; got: Buffer }> {
    const want = this.offset + bytes.length;
    const matches = () => this.ep.received.subarray(this.offset, Math.min(want, this.ep.receivedBytes)).equals(bytes.subarray(0, Math.max(0, Math.min(want, this.ep.receivedBytes) - this.offset)));
    await waitWhileProgress(this.ep, () => this.ep.receivedBytes >= want || !matches(), this.ctx.stepMs);
    const got = this.ep.received.subarray(this.offset, Math.min(this.ep.receivedBytes, want));
    const ok = got.equals(bytes);
    if (ok) this.offset = want;
    return { ok, got: ok ? got : this.ep.received.subarray(this.offset) };
  }

  /** Gives back the last `n` bytes taken: they are the start of what comes next. */
  unread(n: number): void {
    this.offset -= n;
  }

  /** Lesson, when any bytes will do (hello's request): what arrives until a short quiet time or the client's end. */
  async anything(quietMs = 100): Promise<Buffer | undefined> {
    await waitWhileProgress(this.ep, () => this.ep.receivedBytes > this.offset, this.ctx.stepMs);
    if (this.ep.receivedBytes <= this.offset) return undefined;
    let seen = -1;
    while (seen !== this.ep.receivedBytes && !this.ep.finished) {
      seen = this.ep.receivedBytes;
      await this.ep.waitFor(() => this.ep.receivedBytes > seen, quietMs);
    }
    const out = this.ep.received.subarray(this.offset);
    this.offset = this.ep.receivedBytes;
    return out;
  }

  /** Framed: one whole frame's payload, or why there is none (`bad`: not a valid frame). */
  async frame(maxLength = 1 << 26): Promise<{ payload?: Buffer; bad?: string }> {
    const header = await this.take(HEADER_BYTES);
    if (!header) return { bad: this.pending.length ? `${this.pending.length} bytes, not a whole 4-byte header` : 'nothing' };
    const length = header.readInt32LE(0);
    if (length < 0 || length > maxLength) return { bad: `a frame header announcing ${length} bytes` };
    const payload = await this.take(length);
    return payload ? { payload } : { bad: `a header announcing ${length} bytes, then only ${this.pending.length}` };
  }

  /** Waits for the client's end of stream (FIN or RST) or its exit, up to a step without progress. */
  async end(): Promise<boolean> {
    await waitWhileProgress(this.ep, () => this.ep.finished, this.ctx.stepMs);
    return this.ep.finished;
  }
}

/** What a protocol gives client testing: the played server, its writes and the client's script. */
export interface ServerPlay<S> {
  protocol: string;
  /** The client's stdin and files for a session with these texts. */
  script(settings: S, profile: Profile, text: TextChoice): ClientScript;
  /** The played server's writes of one whole conversation, in order. */
  writes(settings: S, profile: Profile, text: TextChoice): PlayedWrite[];
  /** Plays the conversation: reads the client, sends write k with `sender.send(k)`, judges what the client sent. */
  play(ctx: ClientSessionContext<S>, ep: Endpoint, sender: PlayedSender, text: TextChoice): Promise<ClientObservation>;
}

/** A conversation cut short by the session's fault: the client now has to notice and exit. */
export const CUT_SHORT: ClientObservation = { verdict: 'pass', summary: 'the played server ended the connection as planned', over: true };

/** The client sent something else than the protocol (and its script) say. */
export function sentWrong(what: string, expected: string, got: Buffer | string | undefined): ClientObservation {
  const shown = got === undefined ? 'nothing' : typeof got === 'string' ? got : got.length ? `${JSON.stringify(got.toString('utf8'))} (${got.length} bytes)` : 'nothing';
  return { verdict: 'wrong-answer', summary: `the client sent ${what}`, expected, observed: shown, over: false };
}

/** The client did not connect, or sent nothing when it should have. */
export const NO_CONNECTION: ClientObservation = {
  verdict: 'hang',
  summary: 'the client never connected to sockspec',
  expected: 'the client connects to the port it was given',
  observed: 'no connection within a step',
  hint: 'the client must connect to 127.0.0.1 on the port sockspec listens on: use sys.argv[1] with {port} in the command, or pass --port with the port the client hard-codes',
  over: false,
};
