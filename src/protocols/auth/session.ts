// Steps of a login session: read the greeting, send attempts, wait for the replies (JSON parsed
// as a stream, or text replies that end when the server falls quiet).
import type { Conn } from '../../harness/conn';
import type { Observation, SessionContext } from '../../harness/clause';
import { planOf, type WritePlan } from '../../harness/chunk';
import { sendPlanned } from '../kit/delivery';
import { endAndExpectClose, readUntilQuiet, resetObservation, show, waitWhileProgress } from '../kit/session';
import type { AuthSettings } from './settings';
import { encodeLogin, goodLogins, greetingBytes, parseAuth, successWords, textReplies, type AuthReply, type AuthStream, type AuthWire } from './codec';

export type AuthCtx = SessionContext<AuthSettings>;

/**
 * A login connection, and where each attempt started in the received bytes (text replies,
 * lesson profile: a text reply has no end of its own, so the reply to an attempt is what
 * arrives after it).
 */
export interface AuthSession {
  conn: Conn;
  attempts: number[];
}

/** Sends one attempt (as planned), remembering where its reply starts. */
export async function sendAttempt(s: AuthSession, plan: WritePlan): Promise<void> {
  s.attempts.push(s.conn.receivedBytes);
  await sendPlanned(s.conn, plan);
}

/** Reads everything an auth server sent on this session so far. */
export function readAuth(w: AuthWire, s: AuthSession): AuthStream {
  return parseAuth(w, s.conn.received, s.attempts);
}

/** How long a text reply may pause before it is taken as whole (loopback delivers a send at once). */
const TEXT_QUIET_MS = 100;

export async function openAuth(ctx: AuthCtx): Promise<{ s: AuthSession; bad: Observation | null }> {
  const session: AuthSession = { conn: await ctx.connect(), attempts: [] };
  const conn = session.conn;
  await waitWhileProgress(conn, () => {
    const s = readAuth(ctx, session);
    return s.greeting || !!s.error;
  }, ctx.stepMs);
  const s = readAuth(ctx, session);
  if (s.greeting) return { s: session, bad: null };
  // Every login session starts with the greeting: a failure here is auth.greeting's finding.
  const precondition = GREETING_CLAUSE;
  if (conn.wasReset) return { s: session, bad: { ...resetObservation(conn, 'before the greeting'), precondition } };
  const hint = 'if your assignment has another greeting, or none, tell sockspec: --greeting TEXT or --no-greeting (sockspec learn finds it)';
  // The client has not spoken yet: a missing greeting is a wrong answer, never a hang.
  const summary =
    s.error ??
    (conn.finished
      ? 'the server closed the connection before sending the whole greeting'
      : conn.receivedBytes
        ? `the server sent only part of the greeting within ${ctx.stepMs} ms after the connection opened`
        : `the server sent nothing within ${ctx.stepMs} ms after the connection opened: it waits for the client to speak first, but the client waits for the greeting`);
  return { s: session, bad: { verdict: 'wrong-answer', summary, expected: show(greetingBytes(ctx)), observed: show(conn.received) || 'nothing', precondition, hint } };
}

export const GREETING_CLAUSE = 'auth.greeting';
export const SUCCESS_CLAUSE = 'auth.success';

/** Sends the attempt `user`/`password` in one write. */
export function tryLogin(ctx: AuthCtx, s: AuthSession, user: string, password: string): Promise<void> {
  return sendAttempt(s, planOf(encodeLogin(ctx, user, password)));
}

/** Waits for reply number `n` (1-based) and returns it, or an observation of what went wrong. */
export async function awaitReply(ctx: AuthCtx, session: AuthSession, n: number, what: string, resetOk = false): Promise<AuthReply | Observation | null> {
  const conn = session.conn;
  await waitWhileProgress(conn, () => {
    const s = readAuth(ctx, session);
    return s.replies.length >= n || !!s.error;
  }, ctx.stepMs);
  if (textReplies(ctx) && ctx.profile === 'lesson') await readUntilQuiet(conn, Math.min(TEXT_QUIET_MS, ctx.stepMs), ctx.stepMs);
  const s = readAuth(ctx, session);
  if (s.error) return { verdict: 'wrong-answer', summary: `${what}: ${s.error}`, expected: `${successWords(ctx).success} or ${successWords(ctx).failure}`, observed: show(conn.received) };
  if (s.replies.length > n) {
    return { verdict: 'wrong-answer', summary: `${s.replies.length} replies to ${n} attempt${n > 1 ? 's' : ''} (${what})`, expected: 'exactly one reply per attempt', observed: s.replies.map(describeReply).join(' ') };
  }
  if (s.replies.length === n) return s.replies[n - 1];
  if (conn.wasReset) return resetOk ? null : resetObservation(conn, what);
  if (conn.finished) return null; // closed without a reply: the caller decides if that is fine
  return { verdict: 'hang', summary: `no reply within ${ctx.stepMs} ms ${what}`, expected: 'a reply', observed: show(conn.received) };
}

export const isObservation = (v: unknown): v is Observation => !!v && typeof v === 'object' && 'verdict' in v;

export function replyCount(ctx: AuthCtx, s: AuthSession): number {
  return readAuth(ctx, s).replies.length;
}

/** Ends the stream and expects the server to close; `resetOk` when the client misbehaved. */
export function endAndClose(ctx: AuthCtx, conn: Conn, what: string, resetOk = false): Promise<Observation | null> {
  return endAndExpectClose(conn, ctx.stepMs, resetOk, what);
}

export function describeReply(r: AuthReply): string {
  return JSON.stringify(r.raw);
}

/**
 * Why a right login was refused, in words. When sockspec wrote the users file, the likely cause
 * is a server that keeps its own users: say how to give it one.
 */
export function refusedLogin(ctx: AuthCtx, user: string): string {
  if (ctx.settings.authLogins.length) return `the login ${user} given with --login was refused`;
  return `the right password for ${user} was refused (sockspec wrote its own users to ${ctx.settings.authUsersFile}: if the server keeps its own users, hard-coded or hashed, give a known login with --login USER:PASSWORD)`;
}

/** Connects, reads the greeting and makes k failed attempts: where the clauses about a client that gives up start. */
export async function openAfterFailures(ctx: AuthCtx, k: number): Promise<{ s: AuthSession; bad: Observation | null }> {
  const opened = await openAuth(ctx);
  if (opened.bad) return opened;
  return { s: opened.s, bad: await failAttempts(ctx, opened.s, k) };
}

/** Makes k failed attempts (a wrong password for the first good user), waiting for each reply. */
export async function failAttempts(ctx: AuthCtx, s: AuthSession, k: number): Promise<Observation | null> {
  const known = goodLogins(ctx.settings)[0];
  for (let n = 1; n <= k; n++) {
    const wrong = `wrong${n}`;
    await tryLogin(ctx, s, known.user, wrong === known.password ? `${wrong}x` : wrong);
    const r = await awaitReply(ctx, s, n, `after failed attempt ${n}`);
    if (isObservation(r)) return r;
  }
  return null;
}
