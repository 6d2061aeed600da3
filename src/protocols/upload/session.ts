// Steps of an upload session, and the storage oracle: exactly one file created or changed,
// holding exactly the payload (compared byte for byte, streamed from disk).
import type { Conn } from '../../harness/conn';
import type { Observation, SessionContext } from '../../harness/clause';
import type { DirChange } from '../../harness/sandbox';
import { planBytes, type Ending, type WritePlan } from '../../harness/chunk';
import { sleep } from '../../harness/conn';
import { endAndExpectClose, PASS, resetObservation, show, waitWhileProgress } from '../kit/session';
import { endAsPlanned, sendPlanned } from '../kit/delivery';
import type { UploadSettings } from './settings';
import { sizeHeader } from './codec';
import { bufferBody, firstDifference, type UploadBody } from './body';

export type UploadCtx = SessionContext<UploadSettings>;

/** A lesson upload under way: the connection, and what went wrong before the body, if anything. */
export interface Upload {
  conn: Conn;
  bad: Observation | null;
}

/**
 * Sends a lesson upload: the header alone (read by the server before the body; it announces
 * `announce` bytes, by default the body's), the server's acknowledgement when the variant has
 * one, then the body as planned (a generated body is streamed with backpressure, never held).
 * The plan's ending is endLessonUpload's.
 */
export async function sendLessonUpload(ctx: UploadCtx, body: WritePlan | UploadBody, opts: { announce?: number; name?: string } = {}): Promise<Upload> {
  const conn = await ctx.connect();
  const planned = 'segments' in body;
  const size = planned ? planBytes(body).length : body.size;
  const header = sizeHeader(opts.announce ?? size, ctx.settings, opts.name);
  await conn.write(header);
  await conn.pace(); // the course client sleeps 2 s here; we wait until the server has read it
  const bad = await awaitAck(ctx, conn);
  if (bad || size === 0) return { conn, bad };
  if (planned) await sendPlanned(conn, body);
  else await streamBody(conn, body);
  return { conn, bad };
}

/** Streams a body with backpressure only (segment boundaries do not matter for a large body). */
export async function streamBody(conn: Conn, body: UploadBody): Promise<boolean> {
  for (const chunk of body.chunks()) if (!(await conn.writeFlowing(chunk))) return false;
  return true;
}

/** Waits for the variant's acknowledgement of the header (nothing to wait for in the course). */
export async function awaitAck(ctx: UploadCtx, conn: Conn): Promise<Observation | null> {
  const ack = ctx.settings.uploadAck;
  if (ack === null) return null;
  const want = Buffer.from(ack);
  await waitWhileProgress(conn, () => conn.receivedBytes >= want.length || conn.finished, ctx.stepMs);
  const got = conn.received.subarray(0, want.length);
  if (got.equals(want)) return null;
  if (conn.wasReset) return resetObservation(conn, 'instead of acknowledging the header');
  return {
    verdict: got.length < want.length && !conn.finished ? 'hang' : 'wrong-answer',
    summary: got.length < want.length ? `no acknowledgement of the header within ${ctx.stepMs} ms` : 'the acknowledgement of the header is wrong',
    expected: show(want),
    observed: show(conn.received),
    // Every upload starts with the header and its acknowledgement: a wrong one is the polite upload's finding.
    precondition: ctx.profile === 'lesson' ? 'upload.store' : undefined,
    hint: 'if your server acknowledges the header with another text, or not at all, tell sockspec: --ack TEXT or --no-ack (sockspec learn finds it)',
  };
}

/**
 * Polls the working directory until the changes settle on a file of the expected size (the
 * server may flush after closing), or the step time passes. Returns the last changes seen.
 */
export async function settledChanges(ctx: UploadCtx, ready: (c: DirChange[]) => boolean): Promise<DirChange[]> {
  const deadline = Date.now() + ctx.stepMs;
  let changes = await ctx.changes();
  while (!ready(changes) && Date.now() < deadline) {
    await sleep(5);
    changes = await ctx.changes();
  }
  return changes;
}

/** The lesson oracle: exactly one file created or changed, equal to the payload. */
export async function judgeStored(ctx: UploadCtx, payload: Buffer | UploadBody, what: string, inside?: (rel: string) => boolean): Promise<Observation> {
  const body = Buffer.isBuffer(payload) ? bufferBody(payload) : payload;
  const visible = (cs: DirChange[]) => cs.filter((c) => !inside || inside(c.rel));
  const changes = visible(await settledChanges(ctx, (cs) => visible(cs).some((c) => c.size === body.size)));
  if (changes.length !== 1) {
    return {
      verdict: 'data-loss',
      summary: changes.length === 0 ? `no file was stored after ${what}` : `${changes.length} files were created or changed after ${what}, not one`,
      expected: `one file of ${body.size} bytes`,
      observed: changes.map((c) => `${c.kind} ${c.rel} (${c.size} bytes)`).join('; ') || 'no file created or changed',
    };
  }
  return judgeFile(changes[0], body, `the stored file ${changes[0].rel}`, what);
}

/** One stored file against the body: a data-loss observation that says where they part, or PASS. */
export async function judgeFile(file: DirChange, body: UploadBody, name: string, what: string): Promise<Observation> {
  const at = await firstDifference(file.abs, body);
  if (at === null) return PASS;
  const sized = file.size === body.size ? `${file.size} bytes` : `${file.size} bytes (${Math.abs(file.size - body.size)} ${file.size < body.size ? 'fewer' : 'more'})`;
  return {
    verdict: 'data-loss',
    summary: `${name} differs from what was sent (${what})`,
    expected: `${body.size} bytes`,
    observed: at === 0 ? `${sized}, different from the first byte` : `${sized}, the same as what was sent up to byte ${at}`,
  };
}

/**
 * Ends a lesson upload: what went wrong before the body (the connection is then closed), else
 * the client's end of stream and the server's close (see endUpload), or the plan's own ending
 * (an early close, a reset: see endAsPlanned).
 */
export async function endLessonUpload(ctx: UploadCtx, { conn, bad }: Upload, what: string, resetOk = false, ending: Ending = { kind: 'half-close' }): Promise<Observation | null> {
  if (!bad) return endAsPlanned(conn, ending, ctx.stepMs, resetOk, what);
  conn.close();
  return bad;
}

/** Ends the client's stream and expects the server to close the connection. */
export async function endUpload(ctx: UploadCtx, conn: Conn, what: string, resetOk = false): Promise<Observation | null> {
  const bad = await endAndExpectClose(conn, ctx.stepMs, resetOk, what);
  return bad;
}
