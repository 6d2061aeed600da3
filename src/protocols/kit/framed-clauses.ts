// ROBUST clauses every framed protocol shares: headers a server must refuse, and frames cut
// short by the end of stream (the early-close fault). A clean close (or a reset: the client
// misbehaved) is the answer.
import fc from 'fast-check';
import type { Clause, SessionContext } from '../../harness/clause';
import { PASS } from '../../harness/clause';
import { planOf, type WritePlan } from '../../harness/chunk';
import { FAULTS, streamOf } from '../../harness/faults';
import { frameHeader, HEADER_BYTES, INT32_MAX } from '../wire/framing';
import { waitWhileProgress } from './session';
import { endAsPlanned, sendPlanned } from './delivery';

export interface FramedShape<S> {
  protocol: string;
  /** Bytes the server sends on connect (read before the bad frame), if any. */
  greeting(settings: S): Buffer | null;
}

/** One frame of `length` bytes on the wire, with its hints. */
const frameStream = (length: number) =>
  streamOf([
    { bytes: frameHeader(length), kind: 'header', starts: true },
    { bytes: Buffer.alloc(length, 0x62), kind: 'binary' },
  ]);

/** After the greeting (if any), the plan's bytes, then its ending: the server must close (or reset). */
async function sendThenEnd<S>(shape: FramedShape<S>, ctx: SessionContext<S>, plan: WritePlan, what: string) {
  const conn = await ctx.connect();
  const greeting = shape.greeting(ctx.settings);
  if (greeting) await waitWhileProgress(conn, () => conn.receivedBytes >= greeting.length, ctx.stepMs);
  await sendPlanned(conn, plan);
  const bad = await endAsPlanned(conn, plan.ending, ctx.stepMs, true, `after ${what} and the client's end of stream`);
  return bad ?? PASS;
}

/** Bytes in one write, then the client's end of stream. */
const thenEnd = (bytes: Buffer) => planOf(bytes, { kind: 'half-close' });

export function framedRobustClauses<S>(shape: FramedShape<S>): Clause[] {
  const p = shape.protocol;
  const negative: Clause<{ length: number; tail: number }, S> = {
    id: `${p}.framed.negative-length`,
    level: 'ROBUST',
    profiles: ['framed'],
    zh: { description: '客户端发送一个帧报头，其中的有符号长度是负数，再发几个字节，然后结束发送。', expectation: '服务端拒绝这个帧：关闭连接（或回复失败），不崩溃、不卡住、不空转，并继续为下一个客户端服务。' },
    description: 'The client sends a frame header whose signed length is negative, then a few bytes, then ends its stream.',
    expectation: 'The server refuses the frame by closing the connection (or answering a failure) without crashing, hanging or spinning, and serves the next client.',
    arbitrary: () => fc.record({ length: fc.integer({ min: -0x80000000, max: -1 }), tail: fc.nat({ max: 16 }) }),
    boundary: () => [{ length: -1, tail: 0 }],
    run: (ctx, i) => sendThenEnd(shape, ctx, thenEnd(Buffer.concat([frameHeader(i.length), Buffer.alloc(i.tail, 0x61)])), `a header of length ${i.length}`),
  };
  const overLimit: Clause<{ length: number }, S> = {
    id: `${p}.framed.over-limit`,
    level: 'ROBUST',
    profiles: ['framed'],
    zh: { description: '客户端在报头中声明一个远大于本协议任何消息的帧（最大 2 GiB），然后结束发送。', expectation: '服务端不会为声明的字节去分配内存，也不会无休止地等待它们：它关闭连接，不崩溃、不空转，并继续为下一个客户端服务。' },
    description: 'The client announces a frame far larger than any message of this protocol (up to 2 GiB) and then ends its stream.',
    expectation: 'The server does not try to allocate or wait for the announced bytes forever: it closes the connection without crashing or spinning, and serves the next client.',
    arbitrary: () => fc.record({ length: fc.integer({ min: 1 << 30, max: INT32_MAX }) }),
    boundary: () => [{ length: INT32_MAX }],
    run: (ctx, i) => sendThenEnd(shape, ctx, thenEnd(frameHeader(i.length)), `a header announcing ${i.length} bytes`),
  };
  // `at`: where the fault ends the stream of one frame (inside its header, or before its body is whole).
  const eofInFrame: Clause<{ length: number; at: number }, S> = {
    id: `${p}.framed.eof-in-frame`,
    level: 'ROBUST',
    profiles: ['framed'],
    zh: { description: '客户端在一个帧的中间结束发送：在 4 字节报头之内，或在声明长度的数据发完之前。', expectation: '服务端察觉到数据流已结束，关闭连接，不崩溃、不卡住、不空转，并继续为下一个客户端服务。' },
    description: 'The client ends its stream in the middle of a frame: inside the 4-byte header, or before the announced body is complete.',
    expectation: 'The server sees the end of stream, closes the connection without crashing, hanging or spinning, and serves the next client.',
    faults: [FAULTS.earlyClose.name],
    arbitrary: () =>
      fc.integer({ min: 1, max: 64 }).chain((length) => {
        const { bytes, hints } = frameStream(length);
        return fc.record({ length: fc.constant(length), at: FAULTS.earlyClose.params(bytes.length, hints).filter((at) => at > 0) });
      }),
    // An end inside the header, and one right after it.
    boundary: () => {
      const [[start, end]] = frameStream(8).hints.headers;
      return [
        { length: 8, at: start + 2 },
        { length: 8, at: end },
      ];
    },
    run: (ctx, { length, at }) =>
      sendThenEnd(shape, ctx, FAULTS.earlyClose.apply(planOf(frameStream(length).bytes), at), at < HEADER_BYTES ? `${at} of the 4 header bytes` : `${at - HEADER_BYTES} of ${length} body bytes`),
  };
  return [negative, overLimit, eofInFrame];
}
