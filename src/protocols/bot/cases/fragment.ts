import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, everyByte, splitAt } from '../../../harness/chunk';
import { fragmentArb } from '../../../harness/faults';
import type { BotSettings } from '../settings';
import { charBoundaryCutsArb, messageArb } from '../arbitraries';
import { encodeMessage } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

export const fragment: Clause<{ text: string; cuts: number[] }, BotSettings> = {
  id: 'bot.fragment',
  level: { lesson: 'ADVISORY', framed: 'MUST' },
  profiles: ['lesson', 'framed'],
  zh: { description: '一条消息分成几个段到达（lesson：在字符之间切开；framed：在任意位置切开，包括报头内）。', expectation: 'framed：恰好一条回复。lesson：每次读取回复一次是没有分帧的协议的局限（建议级 ADVISORY），但服务端不能崩溃或卡住。' },
  description: 'One message arrives in several segments (lesson: cut between characters; framed: cut anywhere, header included).',
  expectation: 'framed: exactly one reply. lesson: one reply per read is the unframed protocol\'s limit (ADVISORY), but the server must not crash or hang.',
  arbitrary: (profile, settings) =>
    messageArb(settings)
      .filter((m) => [...m].length >= 2)
      .chain((text) => fc.record({ text: fc.constant(text), cuts: profile === 'framed' ? fragmentArb(Buffer.byteLength(text) + 4).filter((c) => c.length > 0) : charBoundaryCutsArb(text) })),
  // One byte a segment (framed, header included), and a cut between two characters (lesson).
  boundary: (profile) => [{ text: '你好', cuts: profile === 'framed' ? everyByte(10) : [3] }],
  run: async (ctx, { text, cuts }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    const bytes = encodeMessage(ctx.profile, Buffer.from(text));
    await sendMessage(ctx, s, Buffer.from(text), splitAt(bytes, cuts));
    const what = `one message sent as ${describeCuts(bytes.length, cuts)}`;
    const missing = await awaitReplies(ctx, s, 1, what);
    if (missing) return missing;
    return endAndCount(ctx, s, { exact: 1 }, what);
  },
};
