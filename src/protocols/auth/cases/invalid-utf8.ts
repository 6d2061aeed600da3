import type { Clause } from '../../../harness/clause';
import { invalidUtf8Arb } from '../../../harness/faults';
import type { AuthSettings } from '../settings';
import { encodeLoginBytes, goodLogins } from '../codec';
import { sendBadAttempt } from '../refuse';

export const invalidUtf8: Clause<Buffer, AuthSettings> = {
  id: 'auth.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送一个不是合法 UTF-8 的登录请求。', expectation: '服务端回复失败或关闭连接，不崩溃，并继续为下一个客户端服务。' },
  description: 'A client sends a login request that is not valid UTF-8.',
  expectation: 'The server answers with a failure reply or closes without crashing, and serves the next client.',
  arbitrary: () => invalidUtf8Arb(),
  run: (ctx, bytes) => sendBadAttempt(ctx, [encodeLoginBytes(ctx, goodLogins(ctx.settings)[0].user, bytes)], 'a request that is not valid UTF-8'),
};
