import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { wrongLoginArb } from '../arbitraries';
import { successWords } from '../codec';
import { awaitReply, describeReply, isObservation, openAuth, tryLogin } from '../session';
import { finishWithLogin } from '../polite';

export const failure: Clause<{ user: string; password: string; why: string }, AuthSettings> = {
  id: 'auth.failure',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端先用错误的密码、不存在的用户、正确密码的前缀或空密码尝试登录两次，然后用正确的密码登录。', expectation: '每次错误的尝试都恰好得到一条失败回复（课程中是 {"status": false, ...}），连接保持打开：第三次尝试登录成功。' },
  description: 'A client tries a wrong password, an unknown user, a prefix of the right password or an empty password, twice, then the right password.',
  expectation: 'Each wrong attempt gets exactly one failure reply ({"status": false, ...} in the course) and the connection stays open: the third attempt succeeds.',
  arbitrary: (_profile, settings) => wrongLoginArb(settings),
  run: async (ctx, { user, password, why }) => {
    const { s, bad } = await openAuth(ctx);
    if (bad) return bad;
    for (let n = 1; n <= 2; n++) {
      await tryLogin(ctx, s, user, password);
      const r = await awaitReply(ctx, s, n, `after attempt ${n} (${why})`);
      if (isObservation(r)) return r;
      if (!r) return { verdict: 'wrong-answer', summary: `the server closed the connection after a failed attempt (${why})`, expected: 'the connection stays open for the next attempt' };
      if (r.status !== false) return { verdict: 'wrong-answer', summary: `a login with ${why} was accepted`, expected: successWords(ctx).failure, observed: describeReply(r) };
    }
    return (await finishWithLogin(ctx, s, 3)) ?? PASS;
  },
};
