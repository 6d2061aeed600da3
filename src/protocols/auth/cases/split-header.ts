import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, plannedCuts } from '../../../harness/chunk';
import { headerCutsArb } from '../../kit/framed-clauses';
import { PASS, expectServerClose } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { knownUserArb } from '../arbitraries';
import { encodeLogin, successWords } from '../codec';
import { awaitReply, describeReply, isObservation, openAuth, refusedLogin, sendAttempt } from '../session';

export const splitHeader: Clause<{ user: string; password: string; cuts: number[] }, AuthSettings> = {
  id: 'auth.framed.split-header',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '一个正确的登录帧，其 4 字节长度报头被切在几个段里到达。', expectation: '服务端读完整个帧，回复一次 status 为 true 的结果，然后关闭连接。' },
  description: 'A correct login frame arrives with its 4-byte length header cut across segments.',
  expectation: 'The server reads the whole frame and replies once with status true, then closes.',
  arbitrary: (profile, settings) =>
    knownUserArb(settings).chain((u) => fc.record({ user: fc.constant(u.user), password: fc.constant(u.password), cuts: headerCutsArb(0, encodeLogin({ profile, settings }, u.user, u.password).length) })),
  run: async (ctx, { user, password, cuts }) => {
    const { s, bad } = await openAuth(ctx);
    if (bad) return bad;
    const bytes = encodeLogin(ctx, user, password);
    const what = `after a login frame sent as ${describeCuts(bytes.length, cuts)}`;
    await sendAttempt(s, plannedCuts(bytes, cuts));
    const r = await awaitReply(ctx, s, 1, what);
    if (isObservation(r)) return r;
    if (!r || r.status !== true) return { verdict: 'wrong-answer', summary: r ? `${refusedLogin(ctx, user)} ${what}` : `a correct login got no reply ${what}`, expected: successWords(ctx).success, observed: r ? describeReply(r) : 'no reply' };
    const closing = await expectServerClose(s.conn, ctx.stepMs, false, 'after a successful login');
    s.conn.close();
    return closing ?? PASS;
  },
};
