import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, plannedCuts } from '../../../harness/chunk';
import { headerCutsArb } from '../../kit/framed-clauses';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { encodeMessage } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

export const splitHeader: Clause<{ text: string; cuts: number[] }, BotSettings> = {
  id: 'bot.framed.split-header',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '一个消息帧的 4 字节长度报头被切在几个段里到达。', expectation: '服务端先读完整个报头，再读完整个数据，并恰好回复一次。' },
  description: 'A message frame arrives with its 4-byte length header cut across segments.',
  expectation: 'The server reads the whole header, then the whole body, and replies exactly once.',
  arbitrary: (_profile, settings) => messageArb(settings).chain((text) => fc.record({ text: fc.constant(text), cuts: headerCutsArb(0, Buffer.byteLength(text) + 4) })),
  // A header cut after every one of its bytes.
  boundary: () => [{ text: '你好', cuts: [1, 2, 3] }],
  run: async (ctx, { text, cuts }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    const bytes = encodeMessage(ctx.profile, Buffer.from(text));
    await sendMessage(ctx, s, Buffer.from(text), plannedCuts(bytes, cuts));
    const what = `a message frame sent as ${describeCuts(bytes.length, cuts)}`;
    const missing = await awaitReplies(ctx, s, 1, what);
    if (missing) return missing;
    return endAndCount(ctx, s, { exact: 1 }, what);
  },
};
