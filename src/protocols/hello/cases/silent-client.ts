import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf, type WritePlan } from '../../../harness/chunk';
import { FAULTS } from '../../../harness/faults';
import { PASS } from '../../kit/session';
import { endAsPlanned, sendPlanned } from '../../kit/delivery';
import type { HelloSettings } from '../settings';

type How = 'half-close' | 'close';

/** The two silent clients: an early close before the first byte, and a half-close with nothing sent. */
const SILENT: Record<How, WritePlan> = {
  close: FAULTS.earlyClose.apply(planOf(Buffer.alloc(0)), 0),
  'half-close': FAULTS.halfClose.apply(planOf(Buffer.alloc(0)), null),
};

export const silentClient: Clause<How[], HelloSettings> = {
  id: 'hello.silent-client',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端连接后什么也不发就关闭了（recv 立刻返回 b""）。', expectation: '服务端回复与否都可以，但要关闭这个连接、不崩溃，并继续为下一个客户端服务。' },
  description: 'A client connects and closes without sending anything (recv returns b"" at once).',
  expectation: 'The server may reply or not, but closes that connection without crashing and serves the next client.',
  faults: [FAULTS.earlyClose.name, FAULTS.halfClose.name],
  // Both kinds of silent client in every session, in either order.
  arbitrary: () => fc.constantFrom<How[]>(['close', 'half-close'], ['half-close', 'close']),
  boundary: () => [
    ['close', 'half-close'],
    ['half-close', 'close'],
  ],
  run: async (ctx, order) => {
    for (const how of order) {
      const plan = SILENT[how];
      const conn = await ctx.connect();
      await sendPlanned(conn, plan);
      if (plan.ending.kind === 'close') {
        // It leaves at once: how the server takes that shows in the next client.
        await conn.awaitAccepted();
        conn.close();
        continue;
      }
      const bad = await endAsPlanned(conn, plan.ending, ctx.stepMs, true, 'after a client that sent nothing');
      if (bad) return bad;
    }
    return PASS;
  },
};
