import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, splitAt } from '../../../harness/chunk';
import { headerCutsArb } from '../../kit/framed-clauses';
import type { Settings } from '../../types';
import { messageArb } from '../arbitraries';
import { encodeMessage } from '../codec';
import { awaitReplies, endAndCount, openBot } from './session';

export const splitHeader: Clause<{ text: string; cuts: number[] }, Settings> = {
  id: 'bot.framed.split-header',
  level: 'MUST',
  profiles: ['framed'],
  description: 'A message frame arrives with its 4-byte length header cut across segments.',
  expectation: 'The server reads the whole header, then the whole body, and replies exactly once.',
  arbitrary: () => messageArb().chain((text) => fc.record({ text: fc.constant(text), cuts: headerCutsArb(0, Buffer.byteLength(text) + 4) })),
  run: async (ctx, { text, cuts }) => {
    const { conn, bad } = await openBot(ctx);
    if (bad) return bad;
    const bytes = encodeMessage(ctx.profile, Buffer.from(text));
    await conn.sendSegments(splitAt(bytes, cuts));
    const what = `a message frame sent as ${describeCuts(bytes.length, cuts)}`;
    const missing = await awaitReplies(ctx, conn, 1, what);
    if (missing) return missing;
    return endAndCount(ctx, conn, { exact: 1 }, what);
  },
};
