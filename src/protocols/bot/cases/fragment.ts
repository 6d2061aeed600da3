import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { Profile } from '../../../harness/protocol';
import { FAULTS } from '../../../harness/faults';
import { planFor } from '../../kit/delivery';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { messageStream } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

/** framed: cut anywhere, header included; lesson: between characters only (a split character is bot.split-utf8). */
const cutBy = (profile: Profile) => (profile === 'framed' ? FAULTS.fragment : FAULTS.betweenChars);

export const fragment: Clause<{ text: string; cuts: number[] }, BotSettings> = {
  id: 'bot.fragment',
  level: { lesson: 'ADVISORY', framed: 'MUST' },
  profiles: ['lesson', 'framed'],
  zh: { description: '一条消息分成几个段到达（lesson：在字符之间切开；framed：在任意位置切开，包括报头内）。', expectation: 'framed：恰好一条回复。lesson：每次读取回复一次是没有分帧的协议的局限（建议级 ADVISORY），但服务端不能崩溃或卡住。' },
  description: 'One message arrives in several segments (lesson: cut between characters; framed: cut anywhere, header included).',
  expectation: 'framed: exactly one reply. lesson: one reply per read is the unframed protocol\'s limit (ADVISORY), but the server must not crash or hang.',
  faults: [FAULTS.fragment.name, FAULTS.betweenChars.name],
  arbitrary: (profile, settings) =>
    messageArb(settings)
      .filter((m) => [...m].length >= 2)
      .chain((text) => {
        const { bytes, hints } = messageStream(profile, [Buffer.from(text)]);
        return fc.record({ text: fc.constant(text), cuts: cutBy(profile).params(bytes.length, hints) });
      }),
  // One byte a segment (framed, header included), and a cut between two characters (lesson).
  boundary: (profile) => {
    const text = '你好';
    const { bytes, hints } = messageStream(profile, [Buffer.from(text)]);
    return cutBy(profile).boundary!(bytes.length, hints).map((cuts) => ({ text, cuts }));
  },
  run: async (ctx, { text, cuts }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    const fault = cutBy(ctx.profile);
    const plan = planFor(fault, messageStream(ctx.profile, [Buffer.from(text)]).bytes, cuts);
    await sendMessage(ctx, s, Buffer.from(text), plan);
    const what = `one message sent as ${fault.describe(plan, cuts)}`;
    const missing = await awaitReplies(ctx, s, 1, what);
    if (missing) return missing;
    return endAndCount(ctx, s, { exact: 1 }, what);
  },
};
