import type { Clause } from '../../../harness/clause';
import { invalidUtf8Arb } from '../../../harness/faults';
import type { BotSettings } from '../settings';
import { encodeMessage } from '../codec';
import { endAndCount, openBot } from '../session';

export const invalidUtf8: Clause<Buffer, BotSettings> = {
  id: 'bot.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client sends a message that is not valid UTF-8, then ends its stream.',
  expectation: 'The server answers (a reply, or nothing) or closes, but does not crash, hang or spin, and serves the next client.',
  arbitrary: () => invalidUtf8Arb(),
  run: async (ctx, message) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    s.sent = null; // garbled on purpose: any reply will do
    await s.conn.write(encodeMessage(ctx.profile, message));
    await s.conn.pace();
    return endAndCount(ctx, s, {}, 'a message that is not valid UTF-8', true);
  },
};
