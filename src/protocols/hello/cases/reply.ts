import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { splitAt, describeCuts } from '../../../harness/chunk';
import { fragmentArb } from '../../../harness/faults';
import type { HelloSettings } from '../settings';
import { requestArb } from '../arbitraries';
import { encodeRequest } from '../codec';
import { sendAndJudge } from '../session';

interface Input {
  request: Buffer;
  cuts: number[];
}

export const reply: Clause<Input, HelloSettings> = {
  id: 'hello.reply',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端连接后发送一个请求（lesson：像课程的客户端那样放在一个段里一次发完；framed：一个请求帧，在任意位置切成若干段，包括报头内）。', expectation: '服务端一字不差地发回设定的回复（framed：作为一个回复帧），然后正常关闭连接（FIN）。' },
  description:
    'A client connects and sends one request (lesson: in one segment, as the course client does; framed: one request frame cut into segments anywhere, header included).',
  expectation: 'The server sends exactly the configured reply (framed: as one reply frame), then closes the connection in an orderly way (FIN).',
  arbitrary: (profile) =>
    requestArb().chain((request) =>
      fc.record({ request: fc.constant(request), cuts: profile === 'framed' ? fragmentArb(request.length + 4) : fc.constant([]) }),
    ),
  run: (ctx, { request, cuts }) => {
    const bytes = encodeRequest(ctx.profile, request);
    return sendAndJudge(ctx, splitAt(bytes, cuts), `a request sent as ${describeCuts(bytes.length, cuts)}`);
  },
};
