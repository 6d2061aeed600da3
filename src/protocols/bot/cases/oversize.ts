import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { FAULTS, oversizeArb, wideText } from '../../../harness/faults';
import type { BotSettings } from '../settings';
import { encodeMessage, READ_SIZE } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

export const oversize: Clause<number, BotSettings> = {
  id: 'bot.oversize',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送一条超过 recv 一次读取的 1024 字节的中文消息，于是某次读取会在一个字符中间截断。', expectation: '服务端不崩溃；lesson：至少回复一次（每次读取回复一次是 lesson 协议的局限），framed：恰好回复一次。' },
  description: 'A client sends one Chinese message longer than the 1024-byte recv, so a read ends inside a character.',
  expectation: 'The server does not crash; lesson: it replies at least once (one reply per read is the lesson\'s limit), framed: exactly once.',
  faults: [FAULTS.oversize.name],
  arbitrary: () => oversizeArb(READ_SIZE, 64 * 1024),
  // Just over one read, so the 1024-byte cut lands inside a character.
  boundary: () => [READ_SIZE + 476],
  run: async (ctx, size) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    const text = wideText(size);
    // lesson: a long message is read in pieces (one reply each is the lesson's limit).
    if (ctx.profile === 'lesson') s.sent = null;
    const message = Buffer.from(text);
    await sendMessage(ctx, s, message, FAULTS.oversize.apply(planOf(encodeMessage(ctx.profile, message)), null));
    const missing = await awaitReplies(ctx, s, 1, `after a message of ${Buffer.byteLength(text)} bytes`);
    if (missing) return missing;
    return endAndCount(ctx, s, ctx.profile === 'framed' ? { exact: 1 } : { atLeast: 1 }, `a message of ${Buffer.byteLength(text)} bytes`);
  },
};
