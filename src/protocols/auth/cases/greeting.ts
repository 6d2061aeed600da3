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
  description: 'A client connects and reads before sending anything.',
  expectation: 'The server sends exactly the greeting 欢迎使用xx系统 (framed: as one frame) and nothing else until the client speaks; a correct login then succeeds.',
  arbitrary: () => fc.constant(null),
  run: async (ctx) => {
    const { conn, bad } = await openAuth(ctx);
    if (bad) {
      conn.close();
      return bad;
    }
    if (replyCount(ctx, conn) > 0) return { verdict: 'wrong-answer', summary: 'the server sent a reply before any attempt' };
    return (await finishWithLogin(ctx, conn, 1)) ?? PASS;
  },
};
