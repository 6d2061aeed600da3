import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, plannedCuts } from '../../../harness/chunk';
import { headerCutsArb } from '../../kit/framed-clauses';
import type { HelloSettings } from '../settings';
import { requestArb } from '../arbitraries';
import { encodeRequest } from '../codec';
import { sendAndJudge } from '../session';

export const splitHeader: Clause<{ request: Buffer; cuts: number[] }, HelloSettings> = {
  id: 'hello.framed.split-header',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '请求帧的 4 字节长度报头被切在几个段里到达（一次 recv(4) 拿到的不足 4 字节）。', expectation: '服务端一直读到收齐整个报头和数据，然后发回回复帧并关闭连接。' },
  description: 'The request frame arrives with its 4-byte length header cut across segments (a single recv(4) gets fewer than 4 bytes).',
  expectation: 'The server reads until it has the whole header and body, then replies with the reply frame and closes.',
  arbitrary: () => requestArb().chain((request) => fc.record({ request: fc.constant(request), cuts: headerCutsArb(0, request.length + 4) })),
  // A header cut after every one of its bytes.
  boundary: () => [{ request: Buffer.from('hello'), cuts: [1, 2, 3] }],
  run: (ctx, { request, cuts }) => {
    const bytes = encodeRequest(ctx.profile, request);
    return sendAndJudge(ctx, plannedCuts(bytes, cuts), `a request frame sent as ${describeCuts(bytes.length, cuts)}`);
  },
};
