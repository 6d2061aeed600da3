import type { Clause } from '../../../harness/clause';
import { invalidUtf8Arb } from '../../../harness/faults';
import type { BotSettings } from '../settings';
import { encodeMessage } from '../codec';
import { endAndCount, openBot } from '../session';

export const invalidUtf8: Clause<Buffer, BotSettings> = {
  id: 'bot.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送一条不是合法 UTF-8 的消息，然后结束发送。', expectation: '服务端可以回复（一条回复，或什么都不回）或关闭连接，但不崩溃、不卡住、不空转，并继续为下一个客户端服务。' },
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
