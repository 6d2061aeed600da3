import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS } from '../../../harness/faults';
import { planFor } from '../../kit/delivery';
import { PASS, waitWhileProgress } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { goodLogins, loginStream, successWords, type Login } from '../codec';
import { endAndClose, openAuth, readAuth, sendAttempt } from '../session';

const isWide = (u: Login) => Buffer.byteLength(u.user) !== u.user.length;

/**
 * A good login with a non-ASCII user name; when the given logins (--login) have none, an unknown
 * non-ASCII user derived from them, which must be refused instead.
 */
function wideLogins(s: AuthSettings): (Login & { good: boolean })[] {
  const logins = goodLogins(s);
  const wide = logins.filter(isWide);
  if (wide.length) return wide.map((u) => ({ ...u, good: true }));
  return [{ user: ['张三', '李四'].find((n) => !logins.some((u) => u.user === n))!, password: logins[0].password, good: false }];
}

export const splitUtf8: Clause<{ user: string; password: string; good: boolean; cut: number }, AuthSettings> = {
  id: 'auth.split-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '一次正确的登录，用户名含非 ASCII 字符（用 --login 且只有 ASCII 用户名时：改用一个不存在的非 ASCII 用户），分两个段到达，切口落在一个字符中间。', expectation: '服务端不崩溃。framed：恰好一条回复，且是成功（对不存在的用户则是失败）。lesson：回复格式正确，服务端关闭连接或继续服务（这种切分是 lesson 协议的局限）。' },
  description: 'A correct login with a non-ASCII user name (with --login and only ASCII names: an unknown non-ASCII user) arrives in two segments cut inside a character.',
  expectation: "The server does not crash. framed: exactly one reply, a success (a failure for the unknown user). lesson: the replies are well-formed and the server closes or keeps serving (the split is the lesson's limit).",
  faults: [FAULTS.splitUtf8.name],
  // `cut`: where the request's stream is cut, inside one of its multi-byte characters.
  arbitrary: (profile, settings) =>
    fc.constantFrom(...wideLogins(settings)).chain((u) => {
      const { bytes, hints } = loginStream({ profile, settings }, u.user, u.password);
      return fc.record({ user: fc.constant(u.user), password: fc.constant(u.password), good: fc.constant(u.good), cut: FAULTS.splitUtf8.params(bytes.length, hints) });
    }),
  run: async (ctx, { user, password, good, cut }) => {
    const { s: session, bad } = await openAuth(ctx);
    if (bad) return bad;
    const conn = session.conn;
    await sendAttempt(session, planFor(FAULTS.splitUtf8, loginStream(ctx, user, password).bytes, cut));
    await waitWhileProgress(conn, () => readAuth(ctx, session).replies.length > 0, ctx.stepMs);
    const closing = await endAndClose(ctx, conn, "after a login split inside a character and the client's end of stream", true);
    if (closing) return closing;
    const s = readAuth(ctx, session);
    if (s.error) return { verdict: 'wrong-answer', summary: s.error };
    if (ctx.profile === 'framed' && (s.replies.length !== 1 || s.replies[0].status !== good)) {
      const what = good ? 'a correct login frame split inside a character was not accepted once' : `a login frame of the unknown user ${user}, split inside a character, was not refused once`;
      return { verdict: 'wrong-answer', summary: what, expected: good ? successWords(ctx).success : successWords(ctx).failure, observed: s.replies.map((r) => JSON.stringify(r.raw)).join(' ') || 'no reply' };
    }
    return PASS;
  },
};
