import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { openAuth, replyCount } from '../session';
import { finishWithLogin } from '../polite';

export const greeting: Clause<null, AuthSettings> = {
  id: 'auth.greeting',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端连接后，在发送任何东西之前先读取。', expectation: '服务端一字不差地发送欢迎信息 欢迎使用xx系统（framed：作为一个帧），在客户端发消息之前不再发别的；之后正确的登录能够成功。' },
  description: 'A client connects and reads before sending anything.',
  expectation: 'The server sends exactly the greeting 欢迎使用xx系统 (framed: as one frame) and nothing else until the client speaks; a correct login then succeeds.',
  arbitrary: () => fc.constant(null),
  run: async (ctx) => {
    const { s, bad } = await openAuth(ctx);
    if (bad) {
      s.conn.close();
      return bad;
    }
    if (replyCount(ctx, s) > 0) return { verdict: 'wrong-answer', summary: 'the server sent a reply before any attempt' };
    return (await finishWithLogin(ctx, s, 1)) ?? PASS;
  },
};
