import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { Profile } from '../../../harness/protocol';
import { FAULTS, wideTextArb } from '../../../harness/faults';
import { planFor } from '../../kit/delivery';
import type { BotSettings } from '../settings';
import { messageStream } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

const streamOf = (profile: Profile, text: string) => messageStream(profile, [Buffer.from(text)]);

/** `cut`: where the message's stream is cut (inside a character, header bytes included). */
export const splitUtf8: Clause<{ text: string; cut: number }, BotSettings> = {
  id: 'bot.split-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '一条消息分两个段到达，切口落在一个多字节 UTF-8 字符的中间，于是一次 recv 只拿到半个字符（课程代码对每次 recv 的数据都严格 decode，会抛出 UnicodeDecodeError）。', expectation: '服务端不崩溃：它增量解码（或根本不解码）并回复；lesson：一条或两条回复都可以，framed：恰好一条。客户端结束发送后服务端关闭连接。' },
  description:
    'A message arrives in two segments cut inside a multi-byte UTF-8 character, so one recv holds half a character (the course decodes every recv strictly and raises UnicodeDecodeError).',
  expectation:
    'The server does not crash: it decodes incrementally (or not at all) and replies; lesson: one or two replies are both fine, framed: exactly one. It closes after the end of stream.',
  faults: [FAULTS.splitUtf8.name],
  arbitrary: (profile) =>
    wideTextArb().chain((text) => {
      const { bytes, hints } = streamOf(profile, text);
      return fc.record({ text: fc.constant(text), cut: FAULTS.splitUtf8.params(bytes.length, hints) });
    }),
  // A cut inside a 3-byte character (the fault's own), and in the middle of a 4-byte one (already minimal: examples do not shrink).
  boundary: (profile) => {
    const three = streamOf(profile, '你');
    return [
      { text: '你', cut: FAULTS.splitUtf8.boundary!(three.bytes.length, three.hints)[0] },
      { text: '😀', cut: streamOf(profile, '😀').hints.insideChars[1] },
    ];
  },
  run: async (ctx, { text, cut }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    // lesson: each half may be answered on its own (the lesson's limit): any reply will do.
    if (ctx.profile === 'lesson') s.sent = null;
    await sendMessage(ctx, s, Buffer.from(text), planFor(FAULTS.splitUtf8, streamOf(ctx.profile, text).bytes, cut));
    const missing = await awaitReplies(ctx, s, 1, 'after a message split inside a character');
    if (missing) return missing;
    return endAndCount(ctx, s, ctx.profile === 'framed' ? { exact: 1 } : { atLeast: 1 }, 'a message split inside a character');
  },
};
