// Steps of a bot session: read the welcome, wait for replies (matched by bytes, never by
// reads), end the stream and expect the server to close.
import type { Conn } from '../../harness/conn';
import type { Observation, SessionContext } from '../../harness/clause';
import type { WritePlan } from '../../harness/chunk';
import { sendPlanned } from '../kit/delivery';
import { endAndExpectClose, PASS, readUntilQuiet, resetObservation, show, waitWhileProgress } from '../kit/session';
import type { BotSettings } from './settings';
import { anyReply, encodeMessage, readReplies } from './codec';

export type BotCtx = SessionContext<BotSettings>;

/** A connection and the messages sent on it (null once one was cut or garbled on purpose). */
export interface BotSession {
  conn: Conn;
  sent: Buffer[] | null;
  /** How many bytes had arrived when each message was sent (any reply: counted between sends). */
  marks?: number[];
}

/** The clauses whose steps every bot session starts with: a failure there is their finding. */
export const WELCOME_CLAUSE = 'bot.welcome';
export const REPLY_CLAUSE = 'bot.reply-per-message';
export const EOF_CLAUSE = 'bot.eof-closes';

/** Quiet time that ends a reply of unknown length (`--reply any`, lesson). */
const ANY_REPLY_QUIET_MS = 100;

function describeExpected(ctx: BotCtx): string {
  const w = ctx.settings.botWelcome === null ? 'no welcome' : ctx.settings.botWelcome;
  return `${w}, then ${anyReply(ctx.settings) ? 'any reply' : `"${ctx.settings.botReply}"`} per message`;
}

const state = (ctx: BotCtx, s: BotSession) => readReplies(ctx.profile, ctx.settings, s.conn.received, s.sent, s.marks);

function wrongBytes(ctx: BotCtx, s: BotSession, what: string): Observation {
  return {
    verdict: 'wrong-answer',
    summary: `${what}: byte ${state(ctx, s).mismatchAt} is neither part of the welcome nor of an expected reply`,
    expected: describeExpected(ctx),
    observed: show(s.conn.received),
    hint: `if this is simply your server's own reply text, tell sockspec: --reply TEXT, --reply TEMPLATE with {message}, or --reply any (sockspec learn finds it)`,
  };
}

/** Sends one message (in one write, or as a fault planned it) and notes it. */
export async function sendMessage(ctx: BotCtx, s: BotSession, message: Buffer, plan?: WritePlan): Promise<void> {
  s.sent?.push(message);
  (s.marks ??= []).push(s.conn.receivedBytes);
  await (plan ? sendPlanned(s.conn, plan) : s.conn.write(encodeMessage(ctx.profile, message)));
}

/** Waits until `n` replies have arrived; a wrong byte, a reset or the step time end the wait. */
export async function awaitReplies(ctx: BotCtx, s: BotSession, n: number, what: string): Promise<Observation | null> {
  await waitWhileProgress(s.conn, () => {
    const r = state(ctx, s);
    return !r.ok || r.replies >= n;
  }, ctx.stepMs);
  const r = state(ctx, s);
  if (!r.ok) return wrongBytes(ctx, s, what);
  if (r.replies >= n) {
    // A reply of unknown length has ended when the server has been quiet a while.
    if (anyReply(ctx.settings) && ctx.profile === 'lesson') await readUntilQuiet(s.conn, ANY_REPLY_QUIET_MS, ctx.stepMs);
    return null;
  }
  const conn = s.conn;
  if (conn.wasReset) return resetObservation(conn, what);
  // Bytes came after the last message but not a whole reply: a wrong answer, not a hang.
  const answered = conn.receivedBytes > (s.marks?.at(-1) ?? 0);
  if (answered && !conn.finished) {
    return { ...wrongBytes(ctx, s, what), summary: `${what}: only part of a reply arrived, then nothing for ${ctx.stepMs} ms`, expected: `${n} repl${n === 1 ? 'y' : 'ies'}: ${describeExpected(ctx)}` };
  }
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
  await waitWhileProgress(s.conn, () => {
    const r = state(ctx, s);
    return !r.ok || r.welcome;
  }, ctx.stepMs);
  const r = state(ctx, s);
  if (r.welcome) return { s, bad: null };
  const conn = s.conn;
  const expected = ctx.settings.botWelcome ?? '';
  const precondition = WELCOME_CLAUSE;
  const hint = 'if your assignment has another welcome, or none, tell sockspec: --welcome TEXT or --no-welcome (sockspec learn finds it)';
  if (!r.ok) return { s, bad: { verdict: 'wrong-answer', summary: 'the welcome is wrong', expected, observed: show(conn.received), precondition, hint } };
  if (conn.wasReset) return { s, bad: { ...resetObservation(conn, 'before the welcome'), precondition } };
  if (conn.finished) return { s, bad: { verdict: 'wrong-answer', summary: 'the server closed the connection before sending the whole welcome', expected, observed: show(conn.received), precondition, hint } };
  // Nothing, or half a welcome, and the connection still open: the client has not spoken, so this is a missing welcome, not a hang.
  const summary = conn.receivedBytes
    ? `the server sent only part of the welcome within ${ctx.stepMs} ms after the connection opened`
    : `the server sent nothing within ${ctx.stepMs} ms after the connection opened: it waits for the client to speak first, but the client waits for the welcome`;
  return { s, bad: { verdict: 'wrong-answer', summary, expected: `the welcome ${JSON.stringify(expected)} right after the connection opens`, observed: show(conn.received) || 'nothing', precondition, hint } };
}

/**
 * Ends the client's stream, expects the server to close, then judges the reply count:
 * exactly `exact` when given, otherwise at least `atLeast`.
 */
export async function endAndCount(ctx: BotCtx, s: BotSession, count: { exact?: number; atLeast?: number }, what: string, resetOk = false): Promise<Observation> {
  const conn = s.conn;
  const closing = await endAndExpectClose(conn, ctx.stepMs, resetOk, `after the client's end of stream (${what})`);
  // Not closing at the end of stream is bot.eof-closes's finding wherever it shows up.
  if (closing) return { ...closing, precondition: EOF_CLAUSE };
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
    // The polite messages before a fault are what bot.reply-per-message checks.
    if (missing) return { ...missing, precondition: REPLY_CLAUSE };
  }
  return null;
}

/** Opens a session and sends k messages in lockstep: where several clauses start. */
export async function openAfter(ctx: BotCtx, k: number): Promise<{ s: BotSession; bad: Observation | null }> {
  const opened = await openBot(ctx);
  if (opened.bad) return opened;
  return { s: opened.s, bad: await lockstep(ctx, opened.s, k) };
}
