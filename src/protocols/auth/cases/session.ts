// Steps of a login session: read the greeting, send attempts, wait for parsed JSON replies.
import type { Conn } from '../../../harness/conn';
import type { Observation, SessionContext } from '../../../harness/clause';
import { expectServerClose, resetObservation, show } from '../../kit/session';
import type { Settings } from '../../types';
import { encodeLogin, GREETING, readAuth, type AuthReply } from '../codec';

export type AuthCtx = SessionContext<Settings>;

export async function openAuth(ctx: AuthCtx): Promise<{ conn: Conn; bad: Observation | null }> {
  const conn = await ctx.connect();
  await conn.waitFor(() => {
    const s = readAuth(ctx.profile, conn.received);
    return s.greeting || !!s.error;
  }, ctx.stepMs);
  const s = readAuth(ctx.profile, conn.received);
  if (s.greeting) return { conn, bad: null };
  if (conn.wasReset) return { conn, bad: resetObservation(conn, 'before the greeting') };
  return {
    conn,
    bad: { verdict: s.error || conn.finished ? 'wrong-answer' : 'hang', summary: s.error ?? `no complete greeting within ${ctx.stepMs} ms`, expected: GREETING, observed: show(conn.received) },
  };
}

/** Waits for reply number `n` (1-based) and returns it, or an observation of what went wrong. */
export async function awaitReply(ctx: AuthCtx, conn: Conn, n: number, what: string, resetOk = false): Promise<AuthReply | Observation | null> {
  await conn.waitFor(() => {
    const s = readAuth(ctx.profile, conn.received);
    return s.replies.length >= n || !!s.error;
  }, ctx.stepMs);
  const s = readAuth(ctx.profile, conn.received);
  if (s.error) return { verdict: 'wrong-answer', summary: `${what}: ${s.error}`, expected: '{"status": true|false, "msg": ...}', observed: show(conn.received) };
  if (s.replies.length > n) {
    return { verdict: 'wrong-answer', summary: `${s.replies.length} replies to ${n} attempt${n > 1 ? 's' : ''} (${what})`, expected: 'exactly one reply per attempt', observed: s.replies.map((r) => JSON.stringify(r)).join(' ') };
  }
  if (s.replies.length === n) return s.replies[n - 1];
  if (conn.wasReset) return resetOk ? null : resetObservation(conn, what);
  if (conn.finished) return null; // closed without a reply: the caller decides if that is fine
  return { verdict: 'hang', summary: `no reply within ${ctx.stepMs} ms ${what}`, expected: 'a JSON reply', observed: show(conn.received) };
}

export const isObservation = (v: unknown): v is Observation => !!v && typeof v === 'object' && 'verdict' in v;

export function replyCount(ctx: AuthCtx, conn: Conn): number {
  return readAuth(ctx.profile, conn.received).replies.length;
}

/** Ends the stream and expects the server to close; `resetOk` when the client misbehaved. */
export async function endAndClose(ctx: AuthCtx, conn: Conn, what: string, resetOk = false): Promise<Observation | null> {
  conn.end();
  const bad = await expectServerClose(conn, ctx.stepMs, resetOk, what);
  conn.close();
  return bad;
}

export function describeReply(r: AuthReply): string {
  return JSON.stringify(r);
}

/** Makes k failed attempts (a wrong password for `user`), waiting for each reply. */
export async function failAttempts(ctx: AuthCtx, conn: Conn, k: number, user: string): Promise<Observation | null> {
  for (let n = 1; n <= k; n++) {
    await conn.write(encodeLogin(ctx.profile, user, `wrong${n}`));
    const r = await awaitReply(ctx, conn, n, `after failed attempt ${n}`);
    if (isObservation(r)) return r;
  }
  return null;
}
