import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { planFor } from '../../kit/delivery';
import type { AuthSettings } from '../settings';
import { goodLogins, loginStream } from '../codec';
import { sendBadAttempt } from '../refuse';

/** A known user with a wrong password, bad bytes written over part of the request. */
export const invalidUtf8: Clause<{ password: string; bad: ParamsOf<typeof FAULTS.badBytes> }, AuthSettings> = {
  id: 'auth.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送一个不是合法 UTF-8 的登录请求。', expectation: '服务端回复失败或关闭连接，不崩溃，并继续为下一个客户端服务。' },
  description: 'A client sends a login request that is not valid UTF-8.',
  expectation: 'The server answers with a failure reply or closes without crashing, and serves the next client.',
  faults: [FAULTS.badBytes.name],
  arbitrary: (profile, settings) => {
    const known = goodLogins(settings)[0];
    return fc
      .string({ unit: 'grapheme-ascii', maxLength: 12 })
      .filter((p) => p !== known.password)
      .chain((password) => {
        const { bytes, hints } = loginStream({ profile, settings }, known.user, password);
        return fc.record({ password: fc.constant(password), bad: FAULTS.badBytes.params(bytes.length, hints) });
      });
  },
  run: (ctx, { password, bad }) =>
    sendBadAttempt(ctx, planFor(FAULTS.badBytes, loginStream(ctx, goodLogins(ctx.settings)[0].user, password).bytes, bad), 'a request that is not valid UTF-8'),
};
