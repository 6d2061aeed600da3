import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { BotSettings } from '../settings';
import { endAndCount, openAfter } from '../session';

export const eofCloses: Clause<number, BotSettings> = {
  id: 'bot.eof-closes',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  description: 'A client sends k messages in lockstep, then ends its stream (the course client closes after Q; recv returns b"").',
  expectation: 'The server closes that connection promptly, without spinning on b"", and accepts the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  boundary: () => [0, 1],
  run: async (ctx, k) => {
    const { s, bad } = await openAfter(ctx, k);
    if (bad) return bad;
    return endAndCount(ctx, s, { exact: k }, `${k} messages, then end of stream`);
  },
};
