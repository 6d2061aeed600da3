import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { endAndExpectClose, PASS } from '../../kit/session';
import type { HelloSettings } from '../settings';

export const silentClient: Clause<('half-close' | 'close')[], HelloSettings> = {
  id: 'hello.silent-client',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端连接后什么也不发就关闭了（recv 立刻返回 b""）。', expectation: '服务端回复与否都可以，但要关闭这个连接、不崩溃，并继续为下一个客户端服务。' },
  description: 'A client connects and closes without sending anything (recv returns b"" at once).',
  expectation: 'The server may reply or not, but closes that connection without crashing and serves the next client.',
  // Both kinds of silent client in every session, in either order.
  arbitrary: () => fc.constantFrom<('half-close' | 'close')[]>(['close', 'half-close'], ['half-close', 'close']),
  boundary: () => [
    ['close', 'half-close'],
    ['half-close', 'close'],
  ],
  run: async (ctx, order) => {
    for (const how of order) {
      const conn = await ctx.connect();
      if (how === 'close') {
        await conn.awaitAccepted();
        conn.close();
        continue;
      }
      const bad = await endAndExpectClose(conn, ctx.stepMs, true, 'after a client that sent nothing');
      if (bad) return bad;
    }
    return PASS;
  },
};
