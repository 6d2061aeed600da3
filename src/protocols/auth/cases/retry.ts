import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import { finishWithLogin } from '../polite';
import type { AuthSettings } from '../settings';
import { knownUserArb, wrongLoginArb } from '../arbitraries';
import { successWords } from '../codec';
import { awaitReply, describeReply, isObservation, openAuth, tryLogin } from '../session';

export const retry: Clause<{ failures: { user: string; password: string; why: string }[]; user: string; password: string }, AuthSettings> = {
  id: 'auth.retry',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端登录失败 k 次（1 到 3 次），然后用正确的密码登录，每次都等待回复。', expectation: '恰好 k+1 条回复：k 条失败，最后一条成功；然后服务端关闭连接。' },
  description: 'A client fails k times (1 to 3), then logs in with the right password, waiting for each reply.',
  expectation: 'Exactly k+1 replies: k failures, the last a success; then the server closes the connection.',
  arbitrary: (_profile, settings) =>
    fc
      .record({ failures: fc.array(wrongLoginArb(settings), { minLength: 1, maxLength: 3 }), login: knownUserArb(settings) })
      .map((r) => ({ failures: r.failures, user: r.login.user, password: r.login.password })),
  run: async (ctx, { failures, user, password }) => {
    const { s, bad } = await openAuth(ctx);
    if (bad) return bad;
    for (let n = 1; n <= failures.length; n++) {
      const a = failures[n - 1];
      await tryLogin(ctx, s, a.user, a.password);
      const r = await awaitReply(ctx, s, n, `after attempt ${n} (${a.why})`);
      if (isObservation(r)) return r;
      if (!r) return { verdict: 'wrong-answer', summary: `the server closed the connection after attempt ${n} (${a.why})`, expected: `${failures.length + 1} replies` };
      if (r.status !== false) return { verdict: 'wrong-answer', summary: `attempt ${n} (${a.why}) was accepted`, expected: successWords(ctx).failure, observed: describeReply(r) };
    }
    return (await finishWithLogin(ctx, s, failures.length + 1, { user, password })) ?? PASS;
  },
};
