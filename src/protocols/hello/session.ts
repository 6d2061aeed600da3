// The hello session every clause builds on: send the request as planned, read the reply as a
// stream, end our side, expect the reply and an orderly close.
import type { Conn } from '../../harness/conn';
import type { Observation, SessionContext } from '../../harness/clause';
import { planOf, planWrites, type WritePlan } from '../../harness/chunk';
import { compareBytes, endAndExpectClose, PASS, waitWhileProgress } from '../kit/session';
import { sendPlanned } from '../kit/delivery';
import type { HelloSettings } from './settings';
import { encodeReply, encodeRequest } from './codec';

export type HelloCtx = SessionContext<HelloSettings>;

/** Judges a connection on which a whole request was sent: reply bytes exact, then FIN (or, `resetOk`, an RST). */
export async function judgeReply(ctx: HelloCtx, conn: Conn, what: string, resetOk = false): Promise<Observation> {
  const expected = encodeReply(ctx.profile, ctx.settings);
  await awaitReply(ctx, conn);
  // A lesson server closes right after replying: see how it closes (FIN or RST) before ending ours.
  await conn.waitForEnd(Math.min(300, ctx.stepMs));
  const closing = await endAndExpectClose(conn, ctx.stepMs, resetOk, `after replying to ${what}`);
  if (closing) return closing;
  const verdict = compareBytes(expected, conn.received, `the reply to ${what}`);
  return verdict.verdict === 'pass' ? PASS : verdict;
}

/**
 * Sends the request. A server that replies before reading (a variant) gets it at once, as the
 * course's client sends it: a server that closes without reading it resets the client.
 */
export async function sendRequest(ctx: HelloCtx, conn: Conn, plan: WritePlan): Promise<void> {
  if (ctx.settings.helloBeforeRead) await conn.sendAhead(planWrites(plan));
  else await sendPlanned(conn, plan);
}

export async function sendAndJudge(ctx: HelloCtx, plan: WritePlan, what: string): Promise<Observation> {
  const conn = await ctx.connect();
  await sendRequest(ctx, conn, plan);
  return judgeReply(ctx, conn, what);
}

/**
 * Whether the server still serves: one polite session. A server that replies before reading
 * and resets the request it never read still serves (the clauses report the reset): the whole
 * reply then counts, however the connection ends.
 */
export async function probeServing(ctx: HelloCtx): Promise<Observation> {
  const conn = await ctx.connect();
  await sendRequest(ctx, conn, planOf(encodeRequest(ctx.profile, Buffer.from('hello'))));
  return judgeReply(ctx, conn, 'a polite request', ctx.settings.helloBeforeRead);
}

/** Waits for the whole reply (or the server's end of stream). */
export function awaitReply(ctx: HelloCtx, conn: Conn): Promise<boolean> {
  const expected = encodeReply(ctx.profile, ctx.settings).length;
  return waitWhileProgress(conn, () => conn.receivedBytes >= expected, ctx.stepMs);
}
