// The hello session every clause builds on: send the request as planned, read the reply as a
// stream, end our side, expect the reply and an orderly close.
import type { Conn } from '../../../harness/conn';
import type { Observation, SessionContext } from '../../../harness/clause';
import { compareBytes, expectServerClose, PASS } from '../../kit/session';
import type { Settings } from '../../types';
import { encodeReply } from '../codec';

export type HelloCtx = SessionContext<Settings>;

/** Judges a connection on which a whole request was sent: reply bytes exact, then FIN. */
export async function judgeReply(ctx: HelloCtx, conn: Conn, what: string): Promise<Observation> {
  const expected = encodeReply(ctx.profile, ctx.settings);
  await conn.waitFor(() => conn.receivedBytes >= expected.length, ctx.stepMs);
  // A lesson server closes right after replying: see how it closes (FIN or RST) before ending ours.
  await conn.waitForEnd(Math.min(300, ctx.stepMs));
  conn.end();
  const closing = await expectServerClose(conn, ctx.stepMs, false, `after replying to ${what}`);
  conn.close();
  if (closing) return closing;
  const verdict = compareBytes(expected, conn.received, `the reply to ${what}`);
  return verdict.verdict === 'pass' ? PASS : verdict;
}

/**
 * Sends the request. A server that replies before reading (a variant) gets it after its reply,
 * and only while it is still open: a request to a server that has closed would be reset.
 */
export async function sendRequest(ctx: HelloCtx, conn: Conn, segments: Buffer[]): Promise<void> {
  if (ctx.settings.helloBeforeRead) {
    const expected = encodeReply(ctx.profile, ctx.settings);
    await conn.waitFor(() => conn.receivedBytes >= expected.length || conn.finished, ctx.stepMs);
    await conn.waitForEnd(Math.min(50, ctx.stepMs));
    if (conn.finished) return;
  }
  await conn.sendSegments(segments);
}

export async function sendAndJudge(ctx: HelloCtx, segments: Buffer[], what: string): Promise<Observation> {
  const conn = await ctx.connect();
  await sendRequest(ctx, conn, segments);
  return judgeReply(ctx, conn, what);
}
