// The in-spec way to end a login session: the right password, then the server closes.
import type { Observation } from '../../harness/clause';
import { expectServerClose } from '../kit/session';
import { goodLogins, successWords, type Login } from './codec';
import type { AuthCtx, AuthSession } from './session';
import { awaitReply, describeReply, isObservation, readAuth, refusedLogin, SUCCESS_CLAUSE, tryLogin } from './session';

/** Logs in correctly as reply number `n`, expects status true, a close, and exactly `n` replies in all. */
export async function finishWithLogin(ctx: AuthCtx, s: AuthSession, n: number, user: Login = goodLogins(ctx.settings)[0]): Promise<Observation | null> {
  await tryLogin(ctx, s, user.user, user.password);
  const r = await awaitReply(ctx, s, n, `after the right password (attempt ${n})`);
  if (isObservation(r)) return r;
  // A refused right login is auth.success's finding wherever it shows up.
  const precondition = SUCCESS_CLAUSE;
  if (!r) return { verdict: 'wrong-answer', summary: `the server closed the connection before answering attempt ${n}`, expected: `${n} replies`, precondition };
  if (r.status !== true) return { verdict: 'wrong-answer', summary: `attempt ${n}: ${refusedLogin(ctx, user.user)}`, expected: successWords(ctx).success, observed: describeReply(r), precondition };
  const closing = await expectServerClose(s.conn, ctx.stepMs, false, 'after a successful login');
  s.conn.close();
  if (closing) return closing;
  const count = readAuth(ctx, s).replies.length;
  if (count !== n) return { verdict: 'wrong-answer', summary: `${count} replies to ${n} attempts`, expected: `exactly one reply per attempt (${n})`, observed: `${count} replies` };
  return null;
}
