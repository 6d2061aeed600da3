import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { encodeMessage } from '../codec';
import { endAndCount, openBot } from '../session';

export const coalesce: Clause<string[], BotSettings> = {
  id: 'bot.coalesce',
  level: { lesson: 'ADVISORY', framed: 'MUST' },
  profiles: ['lesson', 'framed'],
  description: 'A client sends n messages in one segment without waiting for replies (粘包: TCP is free to merge them).',
  expectation:
    'framed: exactly n replies. lesson: the server cannot see where messages end, so it replies once (ADVISORY: the unframed protocol\'s weakness); it must still not crash or hang.',
  arbitrary: (_profile, settings) => fc.array(messageArb(settings), { minLength: 2, maxLength: 4 }),
  // The coalesced pair.
  boundary: () => [['你好', 'hello']],
  run: async (ctx, messages) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    s.sent = messages.map((m) => Buffer.from(m));
    await s.conn.write(Buffer.concat(s.sent.map((m) => encodeMessage(ctx.profile, m))));
    await s.conn.pace();
    return endAndCount(ctx, s, { exact: messages.length }, `${messages.length} messages in one segment`);
  },
};
