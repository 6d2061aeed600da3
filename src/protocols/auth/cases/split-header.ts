import type { AuthSettings } from '../settings';
import { splitHeaderClause } from '../../kit/split-header';
import { PASS, expectServerClose } from '../../kit/session';
import { knownUserArb } from '../arbitraries';
import { goodLogins, loginStream, successWords, type Login } from '../codec';
import { awaitReply, describeReply, isObservation, openAuth, refusedLogin, sendAttempt } from '../session';

export const splitHeader = splitHeaderClause<Login, AuthSettings>({
  protocol: 'auth',
  words: { frame: 'A correct login frame', answer: 'replies once with status true and closes', zh: { frame: '一个正确的登录帧', answer: '回复一次 status 为 true 的结果并关闭连接' } },
  message: (settings) => knownUserArb(settings),
  boundaryMessage: (settings) => goodLogins(settings)[0],
  stream: (w, { user, password }) => loginStream(w, user, password),
  judge: async (ctx, { user }, plan, sentAs) => {
    const { s, bad } = await openAuth(ctx);
    if (bad) return bad;
    const what = `after a login frame sent as ${sentAs}`;
    await sendAttempt(s, plan);
    const r = await awaitReply(ctx, s, 1, what);
    if (isObservation(r)) return r;
    if (!r || r.status !== true) return { verdict: 'wrong-answer', summary: r ? `${refusedLogin(ctx, user)} ${what}` : `a correct login got no reply ${what}`, expected: successWords(ctx).success, observed: r ? describeReply(r) : 'no reply' };
    const closing = await expectServerClose(s.conn, ctx.stepMs, false, 'after a successful login');
    s.conn.close();
    return closing ?? PASS;
  },
});
