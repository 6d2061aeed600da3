import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import type { AuthSettings } from '../settings';
import { type Malformed, malformedArb } from '../arbitraries';
import { encodeLogin, encodeRequest } from '../codec';
import { sendBadAttempt } from '../refuse';

export const malformed: Clause<Malformed, AuthSettings> = {
  id: 'auth.malformed',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: "客户端发送的请求不符合请求格式：没有分隔符、连续多个分隔符、用户名或密码里含有用户文件的分隔符、JSON 格式错误（课程的 `user, pwd = data.split('|')` 会抛出 ValueError）。", expectation: '服务端回复失败或关闭连接，绝不接受这次登录，并继续为其他客户端服务。' },
  description: "A client sends a request that does not fit the request format: no separator, several in a row, the users file's separator inside the user or password, broken JSON (the course's `user, pwd = data.split('|')` raises ValueError).",
  expectation: 'The server answers with a failure reply or closes, never accepts the login, and keeps serving other clients.',
  arbitrary: (_profile, settings) => malformedArb(settings),
  run: (ctx, m) => sendBadAttempt(ctx, planOf('text' in m ? encodeRequest(ctx.profile, Buffer.from(m.text)) : encodeLogin(ctx, m.user, m.password)), `a request with ${m.why}`),
};
