// Steps of a bot session: read the welcome, wait for replies (matched by bytes, never by
// reads), end the stream and expect the server to close.
import type { Conn } from '../../../harness/conn';
import type { Observation, SessionContext } from '../../../harness/clause';
import { expectServerClose, PASS, resetObservation, show } from '../../kit/session';
import type { Settings } from '../../types';
import { encodeMessage, readReplies } from '../codec';

export type BotCtx = SessionContext<Settings>;

/** A connection and the messages sent on it (null once one was cut or garbled on purpose). */
export interface BotSession {
  conn: Conn;
  sent: Buffer[] | null;
}

function describeExpected(ctx: BotCtx): string {
  const w = ctx.settings.botWelcome === null ? 'no welcome' : ctx.settings.botWelcome;
  return `${w}, then "${ctx.settings.botReply}" per message`;
}

const state = (ctx: BotCtx, s: BotSession) => readReplies(ctx.profile, ctx.settings, s.conn.received, s.sent);

function wrongBytes(ctx: BotCtx, s: BotSession, what: string): Observation {
  return {
    verdict: 'wrong-answer',
    summary: `${what}: byte ${state(ctx, s).mismatchAt} is neither part of the welcome nor of an expected reply`,
    expected: describeExpected(ctx),
    observed: show(s.conn.received),
  };
}

/** Sends one message (as planned segments) and notes it. */
export async function sendMessage(ctx: BotCtx, s: BotSession, message: Buffer, segments?: Buffer[]): Promise<void> {
  s.sent?.push(message);
  const bytes = encodeMessage(ctx.profile, message);
  await (segments ? s.conn.sendSegments(segments) : s.conn.write(bytes));
}

/** Waits until `n` replies have arrived; a wrong byte, a reset or the step time end the wait. */
export async function awaitReplies(ctx: BotCtx, s: BotSession, n: number, what: string): Promise<Observation | null> {
  await s.conn.waitFor(() => {
    const r = state(ctx, s);
    return !r.ok || r.replies >= n;
  }, ctx.stepMs);
  const r = state(ctx, s);
  if (!r.ok) return wrongBytes(ctx, s, what);
  if (r.replies >= n) return null;
  const conn = s.conn;
  if (conn.wasReset) return resetObservation(conn, what);
  return {
    verdict: conn.finished ? 'wrong-answer' : 'hang',
    summary: conn.finished ? `the server closed the connection ${what} after ${r.replies} of ${n} replies` : `no reply within ${ctx.stepMs} ms ${what}`,
    expected: `${n} repl${n === 1 ? 'y' : 'ies'}`,
    observed: `${r.replies} replies: ${show(conn.received)}`,
  };
}

/** Connects and reads the welcome (if the course has one). */
export async function openBot(ctx: BotCtx): Promise<{ s: BotSession; bad: Observation | null }> {
  const s: BotSession = { conn: await ctx.connect(), sent: [] };
  await s.conn.waitFor(() => {
    const r = state(ctx, s);
    return !r.ok || r.welcome;
  }, ctx.stepMs);
  const r = state(ctx, s);
  if (r.welcome) return { s, bad: null };
  const conn = s.conn;
  const expected = ctx.settings.botWelcome ?? '';
  if (!r.ok) return { s, bad: { verdict: 'wrong-answer', summary: 'the welcome is wrong', expected, observed: show(conn.received) } };
  if (conn.wasReset) return { s, bad: resetObservation(conn, 'before the welcome') };
  return { s, bad: { verdict: conn.finished ? 'wrong-answer' : 'hang', summary: `no complete welcome within ${ctx.stepMs} ms`, expected, observed: show(conn.received) } };
}

/**
 * Ends the client's stream, expects the server to close, then judges the reply count:
 * exactly `exact` when given, otherwise at least `atLeast`.
 */
export async function endAndCount(ctx: BotCtx, s: BotSession, count: { exact?: number; atLeast?: number }, what: string, resetOk = false): Promise<Observation> {
  const conn = s.conn;
  conn.end();
  const closing = await expectServerClose(conn, ctx.stepMs, resetOk, `after the client's end of stream (${what})`);
  conn.close();
  if (closing) return closing;
  const r = state(ctx, s);
  if (!r.ok) return wrongBytes(ctx, s, what);
  if (count.exact !== undefined && r.replies !== count.exact) {
    return { verdict: 'wrong-answer', summary: `${what}: ${r.replies} replies instead of ${count.exact}`, expected: `${count.exact} replies`, observed: show(conn.received) };
  }
  if (count.atLeast !== undefined && r.replies < count.atLeast) {
    return { verdict: 'hang', summary: `${what}: no reply at all`, expected: `at least ${count.atLeast} reply`, observed: show(conn.received) };
  }
  return PASS;
}

/** Sends k short messages in lockstep, waiting for each reply. */
export async function lockstep(ctx: BotCtx, s: BotSession, k: number): Promise<Observation | null> {
  for (let i = 0; i < k; i++) {
    await sendMessage(ctx, s, Buffer.from(`message ${i + 1}`));
    const missing = await awaitReplies(ctx, s, i + 1, `after message ${i + 1}`);
    if (missing) return missing;
  }
  return null;
}

/** Opens a session and sends k messages in lockstep: where several clauses start. */
export async function openAfter(ctx: BotCtx, k: number): Promise<{ s: BotSession; bad: Observation | null }> {
  const opened = await openBot(ctx);
  if (opened.bad) return opened;
  return { s: opened.s, bad: await lockstep(ctx, opened.s, k) };
}
