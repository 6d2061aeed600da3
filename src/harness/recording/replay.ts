// Replays a recording's client side against a server, with the recorded segment boundaries
// (each segment read alone) and optionally the recorded timing, then compares what the server
// sent, connection by connection, byte by byte, and how it closed.
import { Conn, sleep } from '../conn';
import { Transcript } from '../transcript';
import { printable } from '../text';
import type { TranscriptEvent } from '../transcript';

export interface ReplayOptions {
  host: string;
  port: number;
  timing: 'recorded' | 'fast';
  stepMs: number;
}

export type CloseKind = 'fin' | 'rst' | 'open';

export interface ConnComparison {
  conn: number;
  expectedBytes: number;
  observedBytes: number;
  expectedClose: CloseKind;
  observedClose: CloseKind;
}

export interface Divergence {
  conn: number;
  /** Offset of the first differing byte in that connection's server-to-client stream. */
  offset: number;
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

function window(b: Buffer, offset: number): { hex: string; text: string } {
  const w = b.subarray(Math.max(0, offset - 8), offset + 24);
  return { hex: w.toString('hex').replace(/(..)/g, '$1 ').trim(), text: printable(w) };
}

/**
 * Events are consumed one at a time (pass the reader's generator for large recordings): the
 * client side is written and dropped, so a GiB upload never sits in memory; only what the
 * server is expected to send is kept, to compare.
 */
export async function replay(events: Iterable<TranscriptEvent>, opts: ReplayOptions): Promise<ReplayResult> {
  const started = Date.now();
  const transcript = new Transcript();
  const conns = new Map<number, Conn>();
  const expected = new Map<number, Buffer[]>();
  const expectedClose = new Map<number, CloseKind>();
  /** Server bytes recorded on each connection so far, as we walk the events. */
  const seenSoFar = new Map<number, number>();
  const lastClientEvent = new Map<number, string>();
  let t0: number | undefined;
  for (const e of events) {
    t0 ??= e.t;
    if (e.dir === 's2c') {
      if (e.kind === 'data' && e.bytes) {
        if (!expected.has(e.conn)) expected.set(e.conn, []);
        expected.get(e.conn)!.push(e.bytes); // a flood is thousands of segments: no copy per event
        seenSoFar.set(e.conn, (seenSoFar.get(e.conn) ?? 0) + e.bytes.length);
      } else if (e.kind === 'fin' || e.kind === 'rst') expectedClose.set(e.conn, e.kind);
      continue;
    }
    // `t` is in microseconds: our own progress is measured on the same clock (the transcript's).
    if (opts.timing === 'recorded') await sleep(Math.max(0, (e.t - t0 - transcript.now()) / 1000));
    if (e.kind === 'connect') {
      try {
        conns.set(e.conn, await Conn.open({ host: opts.host, port: opts.port, transcript, readCap: 64 << 20, connectTimeoutMs: opts.stepMs, paceTimeoutMs: Math.min(500, opts.stepMs), gapMs: 5 }));
      } catch {
        break; // the server is gone: what was received so far is compared below
      }
      lastClientEvent.set(e.conn, 'connect');
      continue;
    }
    const conn = conns.get(e.conn);
    if (!conn) continue;
    // Keep in step with the server: first let it send what it had sent at this point.
    const due = seenSoFar.get(e.conn) ?? 0;
    if (opts.timing === 'fast') await conn.waitFor(() => conn.receivedBytes >= due, opts.stepMs);
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
  const connections: ConnComparison[] = [];
  let divergence: Divergence | undefined;
  for (const [id, conn] of [...conns].sort((a, b) => a[0] - b[0])) {
    const want = Buffer.concat(expected.get(id) ?? []);
    const wantClose = expectedClose.get(id) ?? 'open';
    await conn.waitFor(() => conn.receivedBytes >= want.length && (wantClose === 'open' || conn.finished), opts.stepMs);
    const got = conn.received;
    const gotClose: CloseKind = conn.wasReset ? 'rst' : conn.serverEnded ? 'fin' : 'open';
    connections.push({ conn: id, expectedBytes: want.length, observedBytes: got.length, expectedClose: wantClose, observedClose: gotClose });
    if (!divergence) {
      let i = 0;
      while (i < want.length && i < got.length && want[i] === got[i]) i++;
      if (i < want.length || i < got.length) {
        divergence = { conn: id, offset: i, expected: window(want, i), observed: window(got, i), what: i >= got.length ? 'the server sent fewer bytes' : i >= want.length ? 'the server sent more bytes' : 'the bytes differ' };
      } else if (wantClose !== gotClose) {
        divergence = { conn: id, offset: i, expected: { hex: '', text: wantClose.toUpperCase() }, observed: { hex: '', text: gotClose.toUpperCase() }, what: `the connection ended with ${gotClose.toUpperCase()} instead of ${wantClose.toUpperCase()}` };
      }
    }
    conn.close();
  }
  return { match: !divergence, connections, divergence, transcript, durationMs: Date.now() - started };
}
