import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { BotSettings } from '../settings';
import { endAndCount, openAfter } from '../session';

export const eofCloses: Clause<number, BotSettings> = {
  id: 'bot.eof-closes',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端一问一答地发送 k 条消息，然后结束发送（课程的客户端输入 Q 后关闭连接；recv 返回 b""）。', expectation: '服务端及时关闭这个连接，不在 b"" 上空转，并 accept 下一个客户端。' },
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
