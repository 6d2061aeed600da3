import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { BotSettings } from '../settings';
import { openAfter } from '../session';

export const reset: Clause<number, BotSettings> = {
  id: 'bot.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端一问一答地发送 k 条消息，然后在服务端阻塞在 recv 时重置连接（RST）。', expectation: '服务端挺过这次重置（必须捕获 ConnectionResetError），关闭这个连接，并继续为下一个客户端服务。' },
  description: 'A client sends k messages in lockstep, then resets the connection (RST) while the server waits in recv.',
  expectation: 'The server survives the reset (ConnectionResetError must be caught), closes that connection and serves the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  // An RST right after connecting, and right after the first request.
  boundary: () => [0, 1],
  run: async (ctx, k) => {
    const { s, bad } = await openAfter(ctx, k);
    if (bad) return bad;
    s.conn.reset();
    return PASS;
  },
};
