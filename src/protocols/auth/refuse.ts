// The shared oracle of auth's ROBUST clauses: bad input may get status false or a close,
// never an acceptance, a crash, a hang or a spin.
import type { Observation } from '../../harness/clause';
import type { WritePlan } from '../../harness/chunk';
import { PASS } from '../kit/session';
import { successWords } from './codec';
import type { AuthCtx } from './session';
import { describeReply, endAndClose, openAuth, readAuth, sendAttempt } from './session';

export async function sendBadAttempt(ctx: AuthCtx, plan: WritePlan, what: string): Promise<Observation> {
  const { s: session, bad } = await openAuth(ctx);
  if (bad) return bad;
  await sendAttempt(session, plan);
  await session.conn.pace();
  const closing = await endAndClose(ctx, session.conn, `after ${what} and the client's end of stream`, true);
  if (closing) return closing;
  const s = readAuth(ctx, session);
  if (s.error) return { verdict: 'wrong-answer', summary: `${what}: ${s.error}` };
  const accepted = s.replies.find((r) => r.status === true);
  if (accepted) return { verdict: 'wrong-answer', summary: `a login was accepted on ${what}`, expected: `${successWords(ctx).failure} or a close`, observed: describeReply(accepted) };
  return PASS;
}
