// ROBUST clauses every framed protocol shares: headers a server must refuse, and frames cut
// short by the end of stream. A clean close (or a reset: the client misbehaved) is the answer.
import fc from 'fast-check';
import type { Clause, SessionContext } from '../../harness/clause';
import { PASS } from '../../harness/clause';
import { frameHeader, INT32_MAX } from '../wire/framing';
import { endAndExpectClose, waitWhileProgress } from './session';

export interface FramedShape<S> {
  protocol: string;
  /** Bytes the server sends on connect (read before the bad frame), if any. */
  greeting(settings: S): Buffer | null;
}

async function sendThenEnd<S>(shape: FramedShape<S>, ctx: SessionContext<S>, bytes: Buffer, what: string) {
  const conn = await ctx.connect();
  const greeting = shape.greeting(ctx.settings);
  if (greeting) await waitWhileProgress(conn, () => conn.receivedBytes >= greeting.length, ctx.stepMs);
  await conn.write(bytes);
  const bad = await endAndExpectClose(conn, ctx.stepMs, true, `after ${what} and the client's end of stream`);
  return bad ?? PASS;
}

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
    run: (ctx, i) => sendThenEnd(shape, ctx, Buffer.concat([frameHeader(i.length), Buffer.alloc(i.tail, 0x61)]), `a header of length ${i.length}`),
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
    run: (ctx, i) => sendThenEnd(shape, ctx, frameHeader(i.length), `a header announcing ${i.length} bytes`),
  };
  const eofInFrame: Clause<{ length: number; sent: number; inHeader: boolean }, S> = {
    id: `${p}.framed.eof-in-frame`,
    level: 'ROBUST',
    profiles: ['framed'],
    zh: { description: '客户端在一个帧的中间结束发送：在 4 字节报头之内，或在声明长度的数据发完之前。', expectation: '服务端察觉到数据流已结束，关闭连接，不崩溃、不卡住、不空转，并继续为下一个客户端服务。' },
    description: 'The client ends its stream in the middle of a frame: inside the 4-byte header, or before the announced body is complete.',
    expectation: 'The server sees the end of stream, closes the connection without crashing, hanging or spinning, and serves the next client.',
    arbitrary: () =>
      fc.oneof(
        fc.record({ length: fc.integer({ min: 1, max: 64 }), sent: fc.integer({ min: 1, max: 3 }), inHeader: fc.constant(true) }),
        fc.integer({ min: 1, max: 64 }).chain((length) =>
          fc.record({ length: fc.constant(length), sent: fc.integer({ min: 0, max: length - 1 }), inHeader: fc.constant(false) }),
        ),
      ),
    // An end inside the header, and one right after it.
    boundary: () => [
      { length: 8, sent: 2, inHeader: true },
      { length: 8, sent: 0, inHeader: false },
    ],
    run: (ctx, i) => {
      const bytes = i.inHeader ? frameHeader(i.length).subarray(0, i.sent) : Buffer.concat([frameHeader(i.length), Buffer.alloc(i.sent, 0x62)]);
      return sendThenEnd(shape, ctx, bytes, i.inHeader ? `${i.sent} of the 4 header bytes` : `${i.sent} of ${i.length} body bytes`);
    },
  };
  return [negative, overLimit, eofInFrame];
}
