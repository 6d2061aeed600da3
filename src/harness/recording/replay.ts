// Replays a recording's client side against a server, with the recorded segment boundaries
// (each segment read alone) and optionally the recorded timing, then compares what the server
// sent, connection by connection, byte by byte, how it closed, and whether it died.
import { Conn, sleep } from '../conn';
import { Transcript } from '../transcript';
import { printable } from '../text';
import { isLoopback } from '../proc';
import { sockInfo } from '../sockdiag';
import type { Target } from '../targets/types';
import type { TranscriptEvent } from '../transcript';

export interface ReplayOptions {
  host: string;
  port: number;
  timing: 'recorded' | 'fast';
  /** Longest wait for any one recorded step of the server (its bytes, its close, its death). */
  stepMs: number;
  /** The server's process, when it can be watched (not a remote host): its death is compared too. */
  server?: Pick<Target, 'health' | 'waitForDeath'>;
}

/** How the server ended a connection; `refused` when the replay could not even connect. */
export type CloseKind = 'fin' | 'rst' | 'open' | 'refused';

export interface ConnComparison {
  conn: number;
  expectedBytes: number;
  observedBytes: number;
  expectedClose: CloseKind;
  observedClose: CloseKind;
}

export interface Divergence {
  /** The connection that diverged; absent when the server process did (it died, or did not). */
  conn?: number;
  /** Offset of the first differing byte in that connection's server-to-client stream. */
  offset?: number;
  expected: { hex: string; text: string };
  observed: { hex: string; text: string };
  what: string;
}

export interface ReplayResult {
  match: boolean;
  connections: ConnComparison[];
  divergence?: Divergence;
  transcript: Transcript;
  /** How long the replay itself took (the target's start and stop are not in it). */
  durationMs: number;
}

/** Server bytes this close to the end of a recording were still arriving when it stopped listening. */
const STILL_SENDING_US = 10_000;

/** What the recording says the server did on one connection. */
interface RecordedConn {
  bytes: Buffer[];
  length: number;
  close: 'fin' | 'rst' | 'open';
  /** The server's last byte (or the connect). */
  lastDataAt: number;
  lastClientAt: number;
  /** The socket went away (the recorded client dropped it, or after both ends closed). */
  droppedAt?: number;
}

export function window(b: Buffer, offset: number): { hex: string; text: string } {
  const w = b.subarray(Math.max(0, offset - 8), offset + 24);
  return { hex: w.toString('hex').replace(/(..)/g, '$1 ').trim(), text: printable(w) };
}

export const word = (k: CloseKind) => (k === 'refused' ? 'a refused connection' : k.toUpperCase());

function exitWords(h: { code?: number | null; signal?: string | null }): string {
  return h.signal ? `killed by ${h.signal}` : `exit code ${h.code ?? '?'}`;
}

/**
 * Waits for `n` bytes while the server is still sending: `silent` after a whole step without a
 * byte (or once it closed), `sending` when `until` comes first.
 */
async function awaitBytes(conn: Conn, n: number, stepMs: number, until = Infinity): Promise<'all' | 'sending' | 'silent'> {
  let before = -1;
  for (;;) {
    if (conn.receivedBytes >= n) return 'all';
    if (conn.finished || conn.flooded || conn.receivedBytes === before) return 'silent';
    const left = until - Date.now();
    if (left <= 0) return 'sending';
    before = conn.receivedBytes;
    await conn.waitFor(() => conn.receivedBytes >= n, Math.min(stepMs, left));
    if (left < stepMs && conn.receivedBytes < n) return 'sending';
  }
}

/**
 * Events are consumed one at a time (pass the reader's generator for large recordings): the
 * client side is written and dropped, so a GiB upload never sits in memory; only what the
 * server is expected to send is kept, to compare.
 */
export async function replay(events: Iterable<TranscriptEvent>, opts: ReplayOptions): Promise<ReplayResult> {
  // The kernel-query helper that paces segments starts before the clock: its start-up (a python3
  // process) is no part of the session and would shift the recorded timing.
  if (isLoopback(opts.host)) await sockInfo(1, 1);
  const started = Date.now();
  const transcript = new Transcript();
  const recorded = new Map<number, RecordedConn>();
  const conns = new Map<number, Conn>();
  const refused = new Set<number>();
  const dropped = new Set<number>();
  const lastClientEvent = new Map<number, string>();
  let recordedExit: TranscriptEvent | undefined;
  /** A connection on which the server did not send, within a step, what it had sent by then. */
  let stalled: number | undefined;
  let t0: number | undefined;
  let tEnd = 0;
  /** Connections the replay stopped reading while the server was still sending, as the recording did. */
  const cutShort = new Set<number>();
  // A flood is listened to as long as the recording did, and one step more: how many bytes that
  // gives depends on the server's pace, not on the session.
  const listenUntil = (t: number) => started + (t - (t0 ?? t)) / 1000 + opts.stepMs;
  const stillSending = (r: RecordedConn, at: number) => r.close === 'open' && r.lastDataAt > r.lastClientAt && at - r.lastDataAt < STILL_SENDING_US;

  for (const e of events) {
    t0 ??= e.t;
    tEnd = Math.max(tEnd, e.t);
    if (e.kind === 'connect') recorded.set(e.conn, { bytes: [], length: 0, close: 'open', lastDataAt: e.t, lastClientAt: e.t });
    const r = recorded.get(e.conn);
    if (e.dir === 's2c') {
      if (e.kind === 'exit') recordedExit = e;
      if (!r) continue;
      if (e.kind === 'data' && e.bytes) {
        r.bytes.push(e.bytes);
        r.length += e.bytes.length;
        r.lastDataAt = e.t;
      } else if (e.kind === 'fin' || e.kind === 'rst') r.close = e.kind;
      else if (e.kind === 'close') r.droppedAt = e.t;
      // The socket's close is the one server-side event the client caused: it dropped the
      // connection (after its grace time). Replayed below, like a client event.
      if (e.kind !== 'close') continue;
    } else if (r) r.lastClientAt = e.t;
    const conn = conns.get(e.conn);
    if (e.kind !== 'connect' && !conn) continue;
    // Keep in step with the server: first let it send (and close) what it had at this point.
    if (conn && r) {
      const ready = () => conn.receivedBytes >= r.length && (r.close === 'open' || conn.finished);
      const flood = e.kind === 'close' && stillSending(r, e.t);
      const arrived = await awaitBytes(conn, r.length, opts.stepMs, flood ? listenUntil(e.t) : Infinity);
      if (arrived === 'sending') cutShort.add(e.conn);
      else if (arrived === 'all' && !ready()) await conn.waitFor(ready, opts.stepMs);
      if (!ready() && !conn.finished && !cutShort.has(e.conn)) {
        stalled = e.conn;
        break;
      }
    }
    // `t` is in microseconds: our own progress is measured on the same clock (the transcript's).
    if (opts.timing === 'recorded') await sleep(Math.max(0, (e.t - t0 - transcript.now()) / 1000));
    else if (e.kind === 'close' && conn && r && r.close === 'open') {
      // The recorded client waited this long on a silent server before dropping it: a server
      // that answers or closes in that time differs, so that wait is kept even when fast.
      await conn.waitFor(() => conn.receivedBytes > r.length || conn.finished, Math.min(opts.stepMs, (e.t - r.lastDataAt) / 1000));
    }
    if (e.kind === 'connect') {
      try {
        conns.set(e.conn, await Conn.open({ host: opts.host, port: opts.port, transcript, readCap: 64 << 20, connectTimeoutMs: opts.stepMs, paceTimeoutMs: Math.min(500, opts.stepMs), gapMs: 5 }));
      } catch {
        refused.add(e.conn); // compared below: the server is gone, or no longer listens
      }
      lastClientEvent.set(e.conn, 'connect');
      continue;
    }
    if (!conn) continue;
    if (e.dir === 's2c') {
      conn.socket.destroy();
      dropped.add(e.conn);
      continue;
    }
    if (e.kind === 'data' && e.bytes) {
      if (lastClientEvent.get(e.conn) === 'data') await conn.pace();
      await conn.write(e.bytes);
    } else if (e.kind === 'fin') conn.end();
    else if (e.kind === 'rst') {
      await conn.awaitAccepted();
      conn.reset();
    } else if (e.kind === 'close') conn.close();
    lastClientEvent.set(e.conn, e.kind);
  }

  // A connection the recording leaves open either went silent (the server hangs: in the replay
  // too it must send nothing more and not close, for a step) or was still sending when the
  // recording stopped listening (a flood: what came next was never seen, so only the recorded
  // bytes are compared).
  // One step for every connection at once, none after a stall (which already waited one).
  const deadline = stalled === undefined ? Date.now() + opts.stepMs : Date.now();
  await Promise.all(
    [...conns].map(async ([id, conn]) => {
      const r = recorded.get(id)!;
      if (dropped.has(id) || stalled !== undefined) return;
      if (r.close !== 'open') await conn.waitFor(() => conn.finished, deadline - Date.now());
      else if (!stillSending(r, tEnd)) await conn.waitFor(() => conn.finished || conn.receivedBytes > r.length, deadline - Date.now());
      else if ((await awaitBytes(conn, r.length, opts.stepMs, listenUntil(tEnd))) === 'sending') cutShort.add(id);
    }),
  );
  let replayDied = false;
  if (opts.server) {
    if (recordedExit) await opts.server.waitForDeath(Math.max(0, deadline - Date.now()));
    replayDied = !!opts.server.health().crashed;
  }
  // A dying process closes what it holds with FIN or RST by whether its last bytes had arrived,
  // a race of microseconds; and after its death a connection is refused. When both died, these
  // are the same close.
  const bothDied = !!recordedExit && replayDied;
  const sameClose = (want: CloseKind, got: CloseKind) => want === got || (bothDied && want !== 'open' && got !== 'open');

  const connections: ConnComparison[] = [];
  let divergence: Divergence | undefined;
  for (const id of [...recorded.keys()].sort((a, b) => a - b)) {
    const conn = conns.get(id);
    if (!conn && !refused.has(id)) continue; // not reached: the replay stopped before it
    const r = recorded.get(id)!;
    let want = Buffer.concat(r.bytes);
    const received = conn ? conn.received : Buffer.alloc(0);
    // A connection the server kept sending on after the client's last step, never closed, may carry
    // more on replay than the recording kept (how far it got depends on load, not on the session):
    // only the recorded bytes are compared, and the close still must match.
    const openEnded = r.close === 'open' && r.lastDataAt > r.lastClientAt;
    const got = openEnded ? received.subarray(0, want.length) : received;
    if (cutShort.has(id) && got.length < want.length) want = want.subarray(0, got.length);
    const gotClose: CloseKind = !conn ? 'refused' : conn.wasReset ? 'rst' : conn.serverEnded ? 'fin' : 'open';
    connections.push({ conn: id, expectedBytes: r.length, observedBytes: received.length, expectedClose: r.close, observedClose: gotClose });
    if (divergence) continue;
    let i = 0;
    while (i < want.length && i < got.length && want[i] === got[i]) i++;
    if (i < want.length || i < got.length) {
      const what =
        i >= got.length
          ? `the server sent fewer bytes${stalled === id ? ` (then nothing for a whole step, ${opts.stepMs} ms)` : ''}`
          : i >= want.length
            ? 'the server sent more bytes'
            : 'the bytes differ';
      divergence = { conn: id, offset: i, expected: window(want, i), observed: window(got, i), what };
    } else if (!sameClose(r.close, gotClose)) {
      divergence = { conn: id, offset: i, expected: { hex: '', text: word(r.close) }, observed: { hex: '', text: word(gotClose) }, what: `the connection ended with ${word(gotClose)} instead of ${word(r.close)}` };
    }
  }
  for (const conn of conns.values()) conn.close();
  if (!divergence && opts.server) {
    const h = opts.server.health().crashed;
    const died = (x: { code?: number | null; signal?: string | null }) => ({ hex: '', text: `died (${exitWords(x)})` });
    const alive = { hex: '', text: 'still running' };
    if (recordedExit && !h) divergence = { expected: died(recordedExit), observed: alive, what: `the recorded server died (${exitWords(recordedExit)}) and this one did not` };
    else if (!recordedExit && h) divergence = { expected: alive, observed: died(h), what: `the server died (${exitWords(h)}) and the recorded one did not` };
    else if (recordedExit && h && exitWords(recordedExit) !== exitWords(h)) divergence = { expected: died(recordedExit), observed: died(h), what: `the server died with ${exitWords(h)} instead of ${exitWords(recordedExit)}` };
  }
  return { match: !divergence, connections, divergence, transcript, durationMs: Date.now() - started };
}
