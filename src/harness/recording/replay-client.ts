// Replays a recording of a client under test (sockspec played the server): the client is started
// again with the recorded stdin and files, and sockspec plays the recorded server side byte-exactly
// (each segment its own paced write, sent once the client bytes that preceded it have arrived; the
// server's FIN and RST at their place; optionally the recorded timing). Then it compares what the
// client sent, connection by connection, how it closed, and how it ended (a traceback, an exit
// status, or still running a step after the conversation).
import { Endpoint, sleep } from '../endpoint';
import { RecordingError } from '../errors';
import { clientEnding, CLIENT_START_MS, type ClientEnding } from '../runner/client';
import { sockInfo } from '../sockdiag';
import type { ClientRun, ClientTarget } from '../targets/client';
import { Transcript, type TranscriptEvent } from '../transcript';
import { window, word, type CloseKind, type ConnComparison, type Divergence } from './replay';
import { sha256, type RecordedClient } from './schema';

export interface ClientReplayOptions {
  timing: 'recorded' | 'fast';
  /** Longest wait, without a byte, for any recorded step of the client (its bytes, its close, its exit). */
  stepMs: number;
  /** How the recorded client was started: its stdin, and its files (see clientFiles). */
  stdin: string;
  files: Record<string, Buffer>;
  /** The recorded finding's verdict (a crash: the client died with a traceback) and summary. */
  verdict?: string;
  summary?: string;
  /** For messages: the file's name. */
  file?: string;
}

export interface ClientReplayResult {
  match: boolean;
  /** Per connection: the client's bytes (observed of recorded) and its close. */
  connections: ConnComparison[];
  /** How the recorded client ended and how this one did, in words. */
  ending: { recorded: string; observed: string };
  divergence?: Divergence;
  transcript: Transcript;
  stderrTail?: string;
  /** From the client's first connection to the end of the comparison (its start and stop are not in it). */
  durationMs: number;
}

/** Read as the fuzz session reads (ClientSessions' cap). */
const READ_CAP = 4 << 20;

/** What the recording says the client did on one connection, up to the point the replay has reached. */
class RecordedConn {
  private kept: Buffer[] = [];
  private joined: Buffer | undefined;
  /** Bytes the client sent (also those a long segment did not keep). */
  length = 0;
  /** A segment kept only its start: bytes past `bytes.length` are compared by count only. */
  truncated = false;
  close: 'fin' | 'rst' | 'open' = 'open';

  add(e: TranscriptEvent): void {
    const bytes = e.bytes ?? Buffer.alloc(0);
    const n = e.length ?? bytes.length;
    if (!this.truncated) {
      this.kept.push(bytes);
      this.joined = undefined;
    }
    if (n > bytes.length) this.truncated = true;
    this.length += n;
  }

  /** The recorded bytes that can be compared byte for byte (up to the first segment not kept whole). */
  get bytes(): Buffer {
    this.joined ??= Buffer.concat(this.kept);
    return this.joined;
  }
}

/** The recorded ending the replay must see again. */
type WantEnding = { kind: 'crash' } | { kind: 'flood' } | { kind: 'running'; spinning: boolean } | { kind: 'exit'; code: number | null; signal: string | null; crashOk: boolean };

function wantedEnding(exit: TranscriptEvent | undefined, verdict: string | undefined): WantEnding {
  if (verdict === 'crash') return { kind: 'crash' };
  if (verdict === 'busy-loop' && exit) return { kind: 'flood' };
  if (!exit) return { kind: 'running', spinning: verdict === 'busy-loop' };
  // A recording that names no verdict (not saved by fuzz) says only how the process exited.
  return { kind: 'exit', code: exit.code ?? null, signal: exit.signal ?? null, crashOk: verdict === undefined };
}

const exitWords = (code: number | null, signal: string | null) => (signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`);

function wantWords(w: WantEnding, summary: string | undefined): string {
  switch (w.kind) {
    case 'crash':
      return `crashed${summary ? ` (${summary.replace(/^the client (crashed|was killed): /, '')})` : ''}`;
    case 'flood':
      return 'printed without end';
    case 'running':
      return `was still running a step after the conversation${w.spinning ? ', spinning' : ''}`;
    case 'exit':
      return `${exitWords(w.code, w.signal)}${w.crashOk ? '' : ', without a traceback'}`;
  }
}

function gotWords(e: ClientEnding, run: ClientRun, waited: boolean): string {
  const exit = run.program.exitStatus();
  switch (e.kind) {
    case 'crash':
      return `crashed (${e.detail})`;
    case 'flood':
      return `printed without end (${e.bytes} bytes)`;
    case 'running':
      return `was still running${waited ? ' a step after the conversation' : ''}${e.spinning ? ', spinning' : ''}`;
    case 'exit':
      return `${exitWords(exit?.code ?? null, exit?.signal ?? null)}, without a traceback`;
  }
}

function sameEnding(w: WantEnding, e: ClientEnding, run: ClientRun): boolean {
  const exit = run.program.exitStatus();
  switch (w.kind) {
    case 'crash':
      return e.kind === 'crash';
    case 'flood':
      return e.kind === 'flood';
    case 'running':
      return e.kind === 'running' || (w.spinning && e.kind === 'flood');
    case 'exit':
      return (e.kind === 'exit' || (w.crashOk && e.kind === 'crash')) && exit?.code === w.code && exit?.signal === w.signal;
  }
}

/** Offset of the first byte where the client's bytes differ from the recorded ones, if any. */
function firstDifference(got: Buffer, want: Buffer): number | undefined {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return i;
  return undefined;
}

/**
 * Waits until the client has sent (and closed with) what the recording says it had by now, as
 * long as it makes progress: `stalled` after a whole step without a byte, `differs` as soon as
 * its bytes differ from the recorded ones (or, at the end of the recording, go past them by more
 * than `extra`).
 */
async function awaitClient(ep: Endpoint, r: RecordedConn, stepMs: number, extra = Infinity): Promise<'ok' | 'differs' | 'stalled'> {
  const differs = () => firstDifference(ep.received, r.bytes) !== undefined || ep.receivedBytes > r.length + extra;
  const ready = () => ep.receivedBytes >= Math.min(r.length, READ_CAP) && (r.close === 'open' || ep.finished);
  for (;;) {
    if (differs()) return 'differs';
    if (ready()) return 'ok';
    if (ep.finished || ep.flooded) return 'stalled';
    const before = ep.receivedBytes;
    await ep.waitFor(() => ready() || differs(), stepMs);
    if (ep.receivedBytes === before && !ready() && !differs()) return 'stalled';
  }
}

/**
 * The files of a recorded client: those kept byte for byte, and those kept by digest made again
 * from the recorded input (`regenerate`: the clause's script) and checked against it.
 */
export function clientFiles(file: string, rec: RecordedClient, regenerate: ((input: unknown) => Record<string, Buffer>) | undefined, recordedBy: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  let made: Record<string, Buffer> | undefined;
  for (const [name, f] of Object.entries(rec.files ?? {})) {
    if (Buffer.isBuffer(f)) {
      out[name] = f;
      continue;
    }
    if (!regenerate) throw new RecordingError('ERR_RECORDING_FILES', `${file} keeps the client's file ${name} by its digest only, and this sockspec does not know the clause that makes it (it was recorded by sockspec ${recordedBy})`);
    made ??= regenerate(rec.input);
    const bytes = made[name];
    if (!bytes || bytes.length !== f.size || sha256(bytes) !== f.sha256) {
      throw new RecordingError('ERR_RECORDING_FILES', `${file} needs the client's file ${name} (${f.size} bytes) made again from the recorded input, and this sockspec makes ${bytes ? 'other bytes' : 'no such file'}: replay it with sockspec ${recordedBy}, which recorded it`);
    }
    out[name] = bytes;
  }
  return out;
}

export async function replayClient(events: Iterable<TranscriptEvent>, target: ClientTarget, opts: ClientReplayOptions): Promise<ClientReplayResult> {
  // The kernel-query helper that paces segments starts before the clock (a python3 process).
  await sockInfo(1, 1);
  const transcript = new Transcript();
  const run = await target.session(opts.stdin, opts.files);
  const cpu0 = run.cpuUse();
  const wall0 = Date.now();
  const recorded = new Map<number, RecordedConn>();
  const eps = new Map<number, Endpoint>();
  /** Connections the played server has written on: its next segment waits until the client read the last. */
  const wrote = new Set<number>();
  let recordedExit: TranscriptEvent | undefined;
  /** The recording's clock at the client's first connection, and ours. */
  let t0: number | undefined;
  let ours0 = 0;
  let started: number | undefined;
  let divergence: Divergence | undefined;
  /** A connection on which the client did not send (or close), within a step, what it had by then. */
  let stalled: number | undefined;
  /** Per connection: client bytes read just before the played server's close, which the recording could not see. */
  const unread = new Map<number, number>();
  /** The whole recording was played, and the client given its step to exit. */
  let waited = false;

  try {
    for (const e of events) {
      if (e.dir === 'c2s') {
        if (e.kind === 'exit') {
          recordedExit = e;
          continue;
        }
        if (e.kind === 'connect') {
          recorded.set(e.conn, new RecordedConn());
          const socket = await run.accept(opts.stepMs + (eps.size === 0 ? CLIENT_START_MS : 0));
          if (!socket) {
            const observed = run.exited() ? 'the client exited' : `no connection within ${opts.stepMs} ms`;
            divergence = { conn: e.conn, expected: { hex: '', text: 'a connection' }, observed: { hex: '', text: observed }, what: `the client did not connect (connection #${e.conn}): ${observed}` };
            break;
          }
          const ep = Endpoint.adopt(socket, { transcript, role: 'server', readCap: READ_CAP, paceTimeoutMs: Math.min(500, opts.stepMs), gapMs: 5 });
          socket.resume();
          eps.set(e.conn, ep);
          if (t0 === undefined) {
            t0 = e.t;
            ours0 = transcript.now();
            started = Date.now();
          }
          continue;
        }
        const r = recorded.get(e.conn);
        if (!r) continue;
        if (e.kind === 'data') r.add(e);
        else if (e.kind === 'fin' || e.kind === 'rst') r.close = e.kind;
        continue; // 'close': the socket went away (our own doing, or the client's end)
      }
      // The played server's own acts, each once the client had sent what preceded it.
      const ep = eps.get(e.conn);
      const r = recorded.get(e.conn);
      if (!ep || !r) continue;
      if (e.kind === 'data' && e.length !== undefined && e.length > (e.bytes?.length ?? 0)) {
        throw new RecordingError('ERR_RECORDING_PARTIAL', `${opts.file ?? 'the recording'} keeps only the start of a segment the played server sent: it cannot be replayed byte-exactly`);
      }
      if ((await awaitClient(ep, r, opts.stepMs)) !== 'ok') {
        stalled = e.conn;
        break;
      }
      // `t` is in microseconds: our own progress is measured on the same clock (the transcript's).
      const before = ep.receivedBytes;
      if (opts.timing === 'recorded' && t0 !== undefined) await sleep(Math.max(0, (e.t - t0 - (transcript.now() - ours0)) / 1000));
      // Bytes that came while waiting for the recorded moment of a close were never read in the recording
      // (it closed then, and whether they arrived just before is a race of microseconds): not compared.
      if (e.kind === 'fin' || e.kind === 'rst') unread.set(e.conn, ep.receivedBytes - before);
      if (e.kind === 'data' && e.bytes) {
        if (wrote.has(e.conn)) await ep.pace();
        await ep.write(e.bytes);
        wrote.add(e.conn);
      } else if (e.kind === 'fin') ep.abandon(); // the server's close(): FIN, and nothing read after it
      else if (e.kind === 'rst') ep.reset();
    }

    if (!divergence && stalled === undefined) {
      // What the client sent and how it closed after the server's last act, each while it makes progress.
      const ends = await Promise.all([...eps].map(async ([id, ep]) => [id, await awaitClient(ep, recorded.get(id)!, opts.stepMs, unread.get(id) ?? 0)] as const));
      stalled = ends.find(([, x]) => x === 'stalled')?.[0];
      // Then it has a step to exit, as in the session (a hang is a client still running after it).
      waited = ends.every(([, x]) => x === 'ok');
      if (waited) await run.waitExit(opts.stepMs);
    }
    const ending = clientEnding(run, (Date.now() - wall0) / 1000, cpu0);
    const want = wantedEnding(recordedExit, opts.verdict);
    const exited = !!run.program.exitStatus();
    // A process's death closes what it holds with FIN or RST by whether its last bytes had been read, a
    // race of microseconds: when both the recorded client and this one exited, every close is the same.
    const bothExited = !!recordedExit && exited;

    const connections: ConnComparison[] = [];
    for (const id of [...recorded.keys()].sort((a, b) => a - b)) {
      const ep = eps.get(id);
      if (!ep) continue;
      const r = recorded.get(id)!;
      const got = ep.received;
      const gotClose: CloseKind = ep.wasReset ? 'rst' : ep.peerEnded ? 'fin' : 'open';
      connections.push({ conn: id, expectedBytes: r.length, observedBytes: ep.receivedBytes, expectedClose: r.close, observedClose: gotClose });
      if (divergence) continue;
      const want = r.bytes;
      const step = stalled === id ? ` (then nothing for a whole step, ${opts.stepMs} ms)` : '';
      const at = firstDifference(got, want);
      if (at !== undefined) divergence = { conn: id, offset: at, expected: window(want, at), observed: window(got, at), what: 'the bytes differ' };
      else if (ep.receivedBytes < Math.min(r.length, READ_CAP)) divergence = { conn: id, offset: got.length, expected: window(want, got.length), observed: window(got, got.length), what: `the client sent fewer bytes${step}` };
      else if (ep.receivedBytes > r.length + (unread.get(id) ?? 0)) divergence = { conn: id, offset: want.length, expected: window(want, want.length), observed: window(got, want.length), what: 'the client sent more bytes' };
      else if (r.close !== gotClose && !bothExited) {
        divergence = { conn: id, offset: got.length, expected: { hex: '', text: word(r.close) }, observed: { hex: '', text: word(gotClose) }, what: stalled === id && gotClose === 'open' ? `the client did not end the connection (${word(r.close)}) within a step (${opts.stepMs} ms)` : `the client ended the connection with ${word(gotClose)} instead of ${word(r.close)}` };
      }
    }
    const endingWords = { recorded: wantWords(want, opts.summary), observed: gotWords(ending, run, waited) };
    if (!divergence && !sameEnding(want, ending, run)) {
      divergence = { expected: { hex: '', text: endingWords.recorded }, observed: { hex: '', text: endingWords.observed }, what: `the recorded client ${endingWords.recorded}, and this one ${endingWords.observed}` };
    }
    return { match: !divergence, connections, ending: endingWords, divergence, transcript, stderrTail: run.program.stderrTail() || undefined, durationMs: Date.now() - (started ?? wall0) };
  } finally {
    for (const ep of eps.values()) ep.abandon();
    await run.stop();
  }
}
