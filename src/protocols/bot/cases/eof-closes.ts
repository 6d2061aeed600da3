import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { Settings } from '../../types';
import { encodeMessage } from '../codec';
import { awaitReplies, endAndCount, openBot } from './session';

export const eofCloses: Clause<number, Settings> = {
  id: 'bot.eof-closes',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  description: 'A client sends k messages in lockstep, then ends its stream (the course client closes after Q; recv returns b"").',
  expectation: 'The server closes that connection promptly, without spinning on b"", and accepts the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { conn, bad } = await openBot(ctx);
    if (bad) return bad;
    for (let i = 0; i < k; i++) {
      await conn.write(encodeMessage(ctx.profile, Buffer.from(`message ${i + 1}`)));
      const missing = await awaitReplies(ctx, conn, i + 1, `after message ${i + 1}`);
      if (missing) return missing;
    }
    return endAndCount(ctx, conn, { exact: k }, `${k} messages, then end of stream`);
  },
};
