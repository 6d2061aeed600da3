import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { plannedCuts } from '../../../harness/chunk';
import { FAULTS } from '../../../harness/faults';
import { sendPlanned } from '../../kit/delivery';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { messageStream } from '../codec';
import { endAndCount, openBot } from '../session';

export const coalesce: Clause<string[], BotSettings> = {
  id: 'bot.coalesce',
  level: { lesson: 'ADVISORY', framed: 'MUST' },
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端不等回复，把 n 条消息放在一个段里发出（粘包：TCP 可以随意把它们合在一起）。', expectation: 'framed：恰好 n 条回复。lesson：服务端看不出每条消息在哪里结束，所以只回复一次（建议级 ADVISORY：这是没有分帧的协议本身的弱点）；但仍然不能崩溃或卡住。' },
  description: 'A client sends n messages in one segment without waiting for replies (粘包: TCP is free to merge them).',
  expectation:
    'framed: exactly n replies. lesson: the server cannot see where messages end, so it replies once (ADVISORY: the unframed protocol\'s weakness); it must still not crash or hang.',
  faults: [FAULTS.coalesce.name],
  arbitrary: (_profile, settings) => fc.array(messageArb(settings), { minLength: 2, maxLength: 4 }),
  // The coalesced pair.
  boundary: () => [['你好', 'hello']],
  run: async (ctx, messages) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    s.sent = messages.map((m) => Buffer.from(m));
    const { bytes, hints } = messageStream(ctx.profile, s.sent);
    // Every message boundary joined (the fault's boundary case): all n in one write, as the text says.
    const [joins] = FAULTS.coalesce.boundary!(bytes.length, hints);
    await sendPlanned(s.conn, FAULTS.coalesce.apply(plannedCuts(bytes, hints.messages), joins));
    await s.conn.pace();
    return endAndCount(ctx, s, { exact: messages.length }, `${messages.length} messages in one segment`);
  },
};
