import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { FAULTS, oversizeArb, wideText } from '../../../harness/faults';
import type { AuthSettings } from '../settings';
import { encodeLogin } from '../codec';
import { sendBadAttempt } from '../refuse';

export const longInput: Clause<number, AuthSettings> = {
  id: 'auth.long-input',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送一个远远超过 recv 一次读取的 1024 字节的登录请求（一个很长的中文用户名，所以读取会在字符中间截断）。', expectation: '服务端回复失败或关闭连接，不崩溃、不卡住，也不接受登录。' },
  description: 'A client sends a login request far longer than the 1024-byte recv (a long Chinese user name, so reads end inside characters).',
  expectation: 'The server answers with a failure reply or closes, without crashing, hanging or accepting.',
  faults: [FAULTS.oversize.name],
  arbitrary: () => oversizeArb(1024, 64 * 1024),
  run: (ctx, size) => sendBadAttempt(ctx, FAULTS.oversize.apply(planOf(encodeLogin(ctx, wideText(size), 'x')), null), `a request of about ${size} bytes`),
};
