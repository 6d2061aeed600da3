import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { splitAt } from '../../../harness/chunk';
import { PASS, waitWhileProgress } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { encodeLogin, goodLogins, successWords, type Login } from '../codec';
import { type AuthCtx, endAndClose, openAuth, readAuth, sendAttempt } from '../session';

/** Where the user name starts in the encoded request (after a frame header and the template's prefix). */
function userOffset(ctx: AuthCtx, password: string): number {
  const MARK = '\ue000';
  return encodeLogin(ctx, MARK, password).indexOf(Buffer.from(MARK));
}

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
  arbitrary: (_profile, settings) =>
    fc.constantFrom(...wideLogins(settings)).chain((u) => {
      // Cut inside the first multi-byte character of the user name.
      let at = 0;
      for (const ch of u.user) {
        const width = Buffer.byteLength(ch);
        if (width > 1) return fc.record({ user: fc.constant(u.user), password: fc.constant(u.password), good: fc.constant(u.good), cut: fc.integer({ min: at + 1, max: at + width - 1 }) });
        at += width;
      }
      throw new Error(`${u.user} has no multi-byte character`);
    }),
  run: async (ctx, { user, password, good, cut }) => {
    const { s: session, bad } = await openAuth(ctx);
    if (bad) return bad;
    const conn = session.conn;
    const bytes = encodeLogin(ctx, user, password);
    await sendAttempt(session, splitAt(bytes, [cut + userOffset(ctx, password)]));
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
