import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { planFor } from '../../kit/delivery';
import type { HelloSettings } from '../settings';
import { requestArb } from '../arbitraries';
import { requestStream } from '../codec';
import { sendAndJudge } from '../session';

export const invalidUtf8: Clause<{ request: Buffer; bad: ParamsOf<typeof FAULTS.badBytes> }, HelloSettings> = {
  id: 'hello.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送的请求不是合法的 UTF-8（课程的服务端会打印 data.decode("utf-8")）。', expectation: 'hello 的请求可以是任意字节：服务端照样回复并关闭连接，不崩溃，并继续为下一个客户端服务。' },
  description: 'A client sends a request that is not valid UTF-8 (the course server prints data.decode("utf-8")).',
  expectation: 'A hello request may be any bytes: the server still replies and closes, without crashing, and serves the next client.',
  faults: [FAULTS.badBytes.name],
  arbitrary: (profile) =>
    requestArb().chain((request) => {
      const { bytes, hints } = requestStream(profile, request);
      return fc.record({ request: fc.constant(request), bad: FAULTS.badBytes.params(bytes.length, hints) });
    }),
  run: (ctx, { request, bad }) => sendAndJudge(ctx, planFor(FAULTS.badBytes, requestStream(ctx.profile, request).bytes, bad), 'a request that is not valid UTF-8'),
};
