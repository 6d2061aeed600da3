import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { Settings } from '../../types';
import { messageArb } from '../arbitraries';
import { encodeMessage } from '../codec';
import { endAndCount, openBot } from './session';

export const coalesce: Clause<string[], Settings> = {
  id: 'bot.coalesce',
  level: { lesson: 'ADVISORY', framed: 'MUST' },
  profiles: ['lesson', 'framed'],
  description: 'A client sends n messages in one segment without waiting for replies (粘包: TCP is free to merge them).',
  expectation:
    'framed: exactly n replies. lesson: the server cannot see where messages end, so it replies once (ADVISORY: the unframed protocol\'s weakness); it must still not crash or hang.',
  arbitrary: () => fc.array(messageArb(), { minLength: 2, maxLength: 4 }),
  run: async (ctx, messages) => {
    const { conn, bad } = await openBot(ctx);
    if (bad) return bad;
    await conn.write(Buffer.concat(messages.map((m) => encodeMessage(ctx.profile, Buffer.from(m)))));
    await conn.pace();
    return endAndCount(ctx, conn, { exact: messages.length }, `${messages.length} messages in one segment`);
  },
};
