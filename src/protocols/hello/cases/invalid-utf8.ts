import type { Clause } from '../../../harness/clause';
import { invalidUtf8Arb } from '../../../harness/faults';
import type { HelloSettings } from '../settings';
import { encodeRequest } from '../codec';
import { sendAndJudge } from '../session';

export const invalidUtf8: Clause<Buffer, HelloSettings> = {
  id: 'hello.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送的请求不是合法的 UTF-8（课程的服务端会打印 data.decode("utf-8")）。', expectation: 'hello 的请求可以是任意字节：服务端照样回复并关闭连接，不崩溃，并继续为下一个客户端服务。' },
  description: 'A client sends a request that is not valid UTF-8 (the course server prints data.decode("utf-8")).',
  expectation: 'A hello request may be any bytes: the server still replies and closes, without crashing, and serves the next client.',
  arbitrary: () => invalidUtf8Arb(),
  run: (ctx, request) => sendAndJudge(ctx, [encodeRequest(ctx.profile, request)], 'a request that is not valid UTF-8'),
};
