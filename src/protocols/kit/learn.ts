// Steps `sockspec learn` shares across protocols: polite, in-spec sessions (lockstep, whole
// messages, a pause between them) against a working solution, read until the server is quiet.
import type { SessionContext } from '../../harness/clause';
import type { Conn } from '../../harness/conn';
import { FrameDecoder } from '../wire/framing';
import { readUntilQuiet } from './session';

export interface Learned<S> {
  settings: S;
  /** What was inferred, in words. */
  facts: string[];
  /** What could not be inferred, each with the flag that sets it. */
  unknown: string[];
  /** What was given but did not work (auth: a login the server refused), each a phrase after "could not". */
  failed?: string[];
}

export const text = (b: Buffer) => b.toString('utf8');

/** What the server sent from byte `from` on (framed: the frames' payloads, joined). */
export function since(ctx: SessionContext<unknown>, conn: Conn, from: number): Buffer {
  const all = conn.received.subarray(from);
  return ctx.profile === 'framed' ? Buffer.concat(new FrameDecoder(1 << 20).push(all)) : all;
}

/** How long the server must stay quiet before what it sent is taken as its whole answer. */
const QUIET_MS = 250;

/** Reads until the server falls quiet (or closes), within the step time. */
export const untilQuiet = (ctx: SessionContext<unknown>, conn: Conn) => readUntilQuiet(conn, Math.min(QUIET_MS, ctx.stepMs), ctx.stepMs);

/** Sends `bytes`, then reads the answer until the server falls quiet (or closes); returns the answer. */
export async function exchange(ctx: SessionContext<unknown>, conn: Conn, bytes: Buffer): Promise<Buffer> {
  const before = conn.receivedBytes;
  await conn.write(bytes);
  await conn.waitFor(() => conn.receivedBytes > before || conn.finished, ctx.stepMs);
  await untilQuiet(ctx, conn);
  return since(ctx, conn, before);
}
