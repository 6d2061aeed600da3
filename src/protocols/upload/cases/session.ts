// Steps of an upload session, and the storage oracle: exactly one file created or changed,
// holding exactly the payload (compared by hash, streamed from disk).
import { createHash } from 'node:crypto';
import type { Conn } from '../../../harness/conn';
import type { Observation, SessionContext } from '../../../harness/clause';
import { sha256File, type DirChange } from '../../../harness/sandbox';
import { splitAt } from '../../../harness/chunk';
import { sleep } from '../../../harness/conn';
import { expectServerClose, PASS, resetObservation, show } from '../../kit/session';
import type { Settings } from '../../types';
import { sizeHeader } from '../codec';

export type UploadCtx = SessionContext<Settings>;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A lesson upload under way: the connection, and what went wrong before the body, if anything. */
export interface Upload {
  conn: Conn;
  bad: Observation | null;
}

/**
 * Sends a lesson upload: the header alone (read by the server before the body), the server's
 * acknowledgement when the variant has one, then the body as planned.
 */
export async function sendLessonUpload(ctx: UploadCtx, payload: Buffer, cuts: number[], opts: { coalesce?: boolean; announce?: number; name?: string } = {}): Promise<Upload> {
  const conn = await ctx.connect();
  const header = sizeHeader(opts.announce ?? payload.length, ctx.settings, opts.name);
  if (opts.coalesce) {
    const all = Buffer.concat([header, payload]);
    await conn.sendSegments(splitAt(all, cuts.map((c) => c + header.length)));
    return { conn, bad: null };
  }
  await conn.write(header);
  await conn.pace(); // the course client sleeps 2 s here; we wait until the server has read it
  const bad = await awaitAck(ctx, conn);
  if (!bad && payload.length) await conn.sendSegments(splitAt(payload, cuts));
  return { conn, bad };
}

/** Waits for the variant's acknowledgement of the header (nothing to wait for in the course). */
export async function awaitAck(ctx: UploadCtx, conn: Conn): Promise<Observation | null> {
  const ack = ctx.settings.uploadAck;
  if (ack === null) return null;
  const want = Buffer.from(ack);
  await conn.waitFor(() => conn.receivedBytes >= want.length || conn.finished, ctx.stepMs);
  const got = conn.received.subarray(0, want.length);
  if (got.equals(want)) return null;
  if (conn.wasReset) return resetObservation(conn, 'instead of acknowledging the header');
  return {
    verdict: got.length < want.length && !conn.finished ? 'hang' : 'wrong-answer',
    summary: got.length < want.length ? `no acknowledgement of the header within ${ctx.stepMs} ms` : 'the acknowledgement of the header is wrong',
    expected: show(want),
    observed: show(conn.received),
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
export async function judgeStored(ctx: UploadCtx, payload: Buffer, what: string, inside?: (rel: string) => boolean): Promise<Observation> {
  const visible = (cs: DirChange[]) => cs.filter((c) => !inside || inside(c.rel));
  const changes = visible(await settledChanges(ctx, (cs) => visible(cs).some((c) => c.size === payload.length)));
  if (changes.length !== 1) {
    return {
      verdict: 'data-loss',
      summary: changes.length === 0 ? `no file was stored after ${what}` : `${changes.length} files were created or changed after ${what}, not one`,
      expected: `one file of ${payload.length} bytes`,
      observed: changes.map((c) => `${c.kind} ${c.rel} (${c.size} bytes)`).join('; ') || 'no file created or changed',
    };
  }
  const [file] = changes;
  if (file.size !== payload.length || (await sha256File(file.abs)) !== sha256(payload)) {
    return {
      verdict: 'data-loss',
      summary: `the stored file ${file.rel} differs from what was sent (${what})`,
      expected: `${payload.length} bytes, sha256 ${sha256(payload).slice(0, 16)}…`,
      observed: `${file.size} bytes${file.size === payload.length ? ', different content' : ''}`,
    };
  }
  return PASS;
}

/** Ends the client's stream and expects the server to close the connection. */
export async function endUpload(ctx: UploadCtx, conn: Conn, what: string, resetOk = false): Promise<Observation | null> {
  conn.end();
  const bad = await expectServerClose(conn, ctx.stepMs, resetOk, what);
  conn.close();
  return bad;
}

export { sha256 };
