import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { openAfterFailures } from '../session';

export const reset: Clause<number, AuthSettings> = {
  id: 'auth.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端在收到欢迎信息后、或在 k 次登录失败后重置连接（RST），此时服务端正阻塞在 recv。', expectation: '服务端挺过去（捕获了 ConnectionResetError），并继续为下一个客户端服务。' },
  description: 'A client resets the connection (RST) after the greeting or after k failed attempts, while the server waits in recv.',
  expectation: 'The server survives (ConnectionResetError caught) and serves the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { s, bad } = await openAfterFailures(ctx, k);
    if (bad) return bad;
    s.conn.reset();
    return PASS;
  },
};
