// Steps of a bot session: read the welcome, wait for replies (counted by bytes, never by
// reads), end the stream and expect the server to close.
import type { Conn } from '../../../harness/conn';
import type { Observation, SessionContext } from '../../../harness/clause';
import { expectServerClose, PASS, resetObservation, show } from '../../kit/session';
import type { Settings } from '../../types';
import { encodeMessage, readReplies, REPLY, WELCOME } from '../codec';

export type BotCtx = SessionContext<Settings>;

function wrongBytes(ctx: BotCtx, conn: Conn, what: string): Observation {
  const r = readReplies(ctx.profile, conn.received);
  return {
    verdict: 'wrong-answer',
    summary: `${what}: byte ${r.mismatchAt} is neither part of the welcome nor of the reply "${REPLY}"`,
    expected: `${WELCOME} then ${REPLY} per message`,
    observed: show(conn.received),
  };
}

/** Waits until `n` replies have arrived; a wrong byte, a reset or the step time end the wait. */
export async function awaitReplies(ctx: BotCtx, conn: Conn, n: number, what: string): Promise<Observation | null> {
  await conn.waitFor(() => {
    const r = readReplies(ctx.profile, conn.received);
    return !r.ok || r.replies >= n;
  }, ctx.stepMs);
  const r = readReplies(ctx.profile, conn.received);
  if (!r.ok) return wrongBytes(ctx, conn, what);
  if (r.replies >= n) return null;
  if (conn.wasReset) return resetObservation(conn, what);
  return {
    verdict: conn.finished ? 'wrong-answer' : 'hang',
    summary: conn.finished ? `the server closed the connection ${what} after ${r.replies} of ${n} replies` : `no reply within ${ctx.stepMs} ms ${what}`,
    expected: `${n} repl${n === 1 ? 'y' : 'ies'} "${REPLY}"`,
    observed: `${r.replies} replies: ${show(conn.received)}`,
  };
}

/** Connects and reads the welcome. */
export async function openBot(ctx: BotCtx): Promise<{ conn: Conn; bad: Observation | null }> {
  const conn = await ctx.connect();
  await conn.waitFor(() => {
    const r = readReplies(ctx.profile, conn.received);
    return !r.ok || r.welcome;
  }, ctx.stepMs);
  const r = readReplies(ctx.profile, conn.received);
  if (r.welcome) return { conn, bad: null };
  if (!r.ok) return { conn, bad: { verdict: 'wrong-answer', summary: 'the welcome is wrong', expected: WELCOME, observed: show(conn.received) } };
  if (conn.wasReset) return { conn, bad: resetObservation(conn, 'before the welcome') };
  return { conn, bad: { verdict: conn.finished ? 'wrong-answer' : 'hang', summary: `no complete welcome within ${ctx.stepMs} ms`, expected: WELCOME, observed: show(conn.received) } };
}

/**
 * Ends the client's stream, expects the server to close, then judges the reply count:
 * exactly `exact` when given, otherwise at least `atLeast`.
 */
export async function endAndCount(ctx: BotCtx, conn: Conn, count: { exact?: number; atLeast?: number }, what: string, resetOk = false): Promise<Observation> {
  conn.end();
  const closing = await expectServerClose(conn, ctx.stepMs, resetOk, `after the client's end of stream (${what})`);
  conn.close();
  if (closing) return closing;
  const r = readReplies(ctx.profile, conn.received);
  if (!r.ok) return wrongBytes(ctx, conn, what);
  if (count.exact !== undefined && r.replies !== count.exact) {
    return {
      verdict: 'wrong-answer',
      summary: `${what}: ${r.replies} replies instead of ${count.exact}`,
      expected: `${count.exact} × "${REPLY}"`,
      observed: `${r.replies} × "${REPLY}"`,
    };
  }
  if (count.atLeast !== undefined && r.replies < count.atLeast) {
    return { verdict: 'hang', summary: `${what}: no reply at all`, expected: `at least ${count.atLeast} reply`, observed: show(conn.received) };
  }
  return PASS;
}

/** Sends k short messages in lockstep, waiting for each reply. */
export async function lockstep(ctx: BotCtx, conn: Conn, k: number): Promise<Observation | null> {
  for (let i = 0; i < k; i++) {
    await conn.write(encodeMessage(ctx.profile, Buffer.from(`message ${i + 1}`)));
    const missing = await awaitReplies(ctx, conn, i + 1, `after message ${i + 1}`);
    if (missing) return missing;
  }
  return null;
}
