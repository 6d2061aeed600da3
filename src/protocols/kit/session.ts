// Session steps every protocol's clauses share: ending a session and judging how the server
// closed, judging fixed replies, cutting bytes into segments.
import type { Conn } from '../../harness/conn';
import type { Observation } from '../../harness/clause';
import { PASS } from '../../harness/clause';
import { printable } from '../../harness/text';

export { PASS };

export function show(bytes: Buffer, max = 200): string {
  const s = printable(bytes.subarray(0, max));
  return bytes.length > max ? `${s}… (${bytes.length} bytes)` : s;
}

/** The server reset a client that did nothing wrong. */
export function resetObservation(conn: Conn, what: string): Observation {
  return {
    verdict: 'reset',
    summary: `the server reset the connection (RST) ${what}`,
    expected: 'an orderly close (FIN)',
    observed: `connection reset after ${conn.receivedBytes} reply bytes: ${show(conn.received)}`,
  };
}

export function floodObservation(conn: Conn): Observation {
  return {
    verdict: 'flood',
    summary: `the server kept sending (${conn.totalReceived} bytes so far) without ever closing`,
    observed: show(conn.received),
  };
}

/** Bytes a server may still send after the client's end without closing before it counts as a flood. */
const FLOOD_AFTER_END = 64 * 1024;

/**
 * Waits until `ready()` holds, the stream ends, or the server made no progress (sent no byte)
 * for a whole step: a slow server that is still answering is judged on what it does, never
 * called hung. `stopAfter` bytes end the wait too (a flood). A wait still seeing progress at
 * the end of the run stops and marks the session interrupted (it has no verdict).
 */
export async function waitWhileProgress(conn: Conn, ready: () => boolean, stepMs: number, stopAfter = Infinity, stopWhen?: () => boolean): Promise<boolean> {
  const start = conn.totalReceived;
  // The first step is always whole; only the extra time progress earns ends at the run's end.
  for (let first = true; ; first = false) {
    const before = conn.totalReceived;
    const wait = first ? stepMs : Math.min(stepMs, conn.giveUpAt - Date.now());
    if (await conn.waitFor(ready, Math.max(1, wait), stopWhen)) return true;
    if (conn.finished || conn.flooded || conn.totalReceived - start > stopAfter || stopWhen?.()) return ready();
    // The run ended before a whole step could pass: no verdict either way.
    if (wait < stepMs) {
      conn.interrupted = true;
      return ready();
    }
    if (conn.totalReceived === before) return ready();
  }
}

/**
 * After the client's end of stream the server must close its side (a server still sending gets more time: see waitWhileProgress).
 * Returns null when it did (FIN), an observation otherwise. `resetOk` when the client
 * misbehaved, so a reset is a fair answer.
 */
export async function expectServerClose(conn: Conn, stepMs: number, resetOk: boolean, what: string): Promise<Observation | null> {
  const before = conn.totalReceived;
  // Where the server's CPU is watched (the polite session), a server spinning instead of closing
  // is told from a slow one in a second, not a whole step: closing needs no CPU to speak of.
  const spun = conn.spinWatch?.();
  let spunMs: number | undefined; // what the watch said when it ended the wait
  await waitWhileProgress(conn, () => conn.finished, stepMs, FLOOD_AFTER_END, spun && (() => (spunMs = spun()) !== undefined));
  if (conn.flooded || (!conn.finished && conn.totalReceived - before > FLOOD_AFTER_END)) return floodObservation(conn);
  if (conn.wasReset && !conn.serverEnded) return resetOk ? null : resetObservation(conn, what);
  if (!conn.finished && spunMs !== undefined) {
    return {
      verdict: 'busy-loop',
      summary: `the server did not close the connection ${what}, spinning at full CPU for ${spunMs} ms instead`,
      expected: 'the server closes its side (FIN)',
      observed: `connection still open, the server at full CPU; ${conn.receivedBytes} reply bytes: ${show(conn.received)}`,
    };
  }
  if (!conn.finished) {
    return {
      verdict: 'hang',
      summary: `the server did not close the connection ${what}, and sent nothing for ${stepMs} ms`,
      expected: 'the server closes its side (FIN)',
      observed: `connection still open; ${conn.receivedBytes} reply bytes: ${show(conn.received)}`,
    };
  }
  return null;
}

/** Ends the client's stream, expects the server's orderly close (see expectServerClose), then closes ours. */
export async function endAndExpectClose(conn: Conn, stepMs: number, resetOk: boolean, what: string): Promise<Observation | null> {
  conn.end();
  const bad = await expectServerClose(conn, stepMs, resetOk, what);
  conn.close();
  return bad;
}

/** Compares received bytes with expected ones and says where they first differ. */
export function compareBytes(expected: Buffer, observed: Buffer, what: string): Observation {
  if (expected.equals(observed)) return PASS;
  let i = 0;
  while (i < expected.length && i < observed.length && expected[i] === observed[i]) i++;
  return {
    verdict: 'wrong-answer',
    summary: `${what}: the bytes differ from offset ${i}`,
    expected: show(expected),
    observed: show(observed),
  };
}

/** Reads until the server has been quiet for `quietMs` (or closed), at most `maxMs`. */
export async function readUntilQuiet(conn: Conn, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline && !conn.finished) {
    const n = conn.receivedBytes;
    await conn.waitFor(() => conn.receivedBytes > n || conn.finished, Math.min(quietMs, deadline - Date.now()));
    if (conn.receivedBytes === n) return;
  }
}
