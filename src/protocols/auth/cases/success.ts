import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { describeFor, maybe, planFor } from '../../kit/delivery';
import { PASS } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { knownUserArb } from '../arbitraries';
import { loginStream, successWords } from '../codec';
import { awaitReply, isObservation, openAuth, describeReply, refusedLogin, sendAttempt } from '../session';
import { expectServerClose } from '../../kit/session';

export const success: Clause<{ user: string; password: string; cuts: ParamsOf<typeof FAULTS.fragment> | null }, AuthSettings> = {
  id: 'auth.success',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '用户文件中的一个用户（或用 --login 给出的账号）用正确的密码登录（lesson：一个段；framed：一个帧，在任意位置切开）。', expectation: '服务端回复登录成功（课程中是 {"status": true, ...}），然后关闭连接。' },
  description: 'A user from the users file (or a login given with --login) logs in with the right password (lesson: one segment; framed: one frame cut anywhere).',
  expectation: 'The server replies with success ({"status": true, ...} in the course) and then closes the connection.',
  faults: [FAULTS.fragment.name],
  arbitrary: (profile, settings) =>
    knownUserArb(settings).chain((u) =>
      fc.record({ user: fc.constant(u.user), password: fc.constant(u.password), cuts: profile === 'framed' ? maybe(FAULTS.fragment, loginStream({ profile, settings }, u.user, u.password)) : fc.constant(null) }),
    ),
  run: async (ctx, { user, password, cuts }) => {
    const { s, bad } = await openAuth(ctx);
    if (bad) return bad;
    const plan = planFor(FAULTS.fragment, loginStream(ctx, user, password).bytes, cuts);
    const what = `after the right password for ${user} (${describeFor(FAULTS.fragment, plan, cuts)})`;
    await sendAttempt(s, plan);
    const r = await awaitReply(ctx, s, 1, what);
    if (isObservation(r)) return r;
    if (!r) return { verdict: 'wrong-answer', summary: `the server closed the connection without a reply ${what}` };
    if (r.status !== true) return { verdict: 'wrong-answer', summary: refusedLogin(ctx, user), expected: successWords(ctx).success, observed: describeReply(r) };
    // After a success the server closes; the client does not end its stream first.
    const closing = await expectServerClose(s.conn, ctx.stepMs, false, 'after a successful login');
    s.conn.close();
    return closing ?? PASS;
  },
};
