import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { describeFor, maybe, planFor } from '../../kit/delivery';
import type { HelloSettings } from '../settings';
import { requestArb } from '../arbitraries';
import { requestStream } from '../codec';
import { sendAndJudge } from '../session';

interface Input {
  request: Buffer;
  /** framed only: where the request frame is cut (null: one segment). */
  cuts: ParamsOf<typeof FAULTS.fragment> | null;
}

export const reply: Clause<Input, HelloSettings> = {
  id: 'hello.reply',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端连接后发送一个请求（lesson：像课程的客户端那样放在一个段里一次发完；framed：一个请求帧，在任意位置切成若干段，包括报头内）。', expectation: '服务端一字不差地发回设定的回复（framed：作为一个回复帧），然后正常关闭连接（FIN）。' },
  description:
    'A client connects and sends one request (lesson: in one segment, as the course client does; framed: one request frame cut into segments anywhere, header included).',
  expectation: 'The server sends exactly the configured reply (framed: as one reply frame), then closes the connection in an orderly way (FIN).',
  faults: [FAULTS.fragment.name],
  arbitrary: (profile) =>
    requestArb().chain((request) =>
      fc.record({ request: fc.constant(request), cuts: profile === 'framed' ? maybe(FAULTS.fragment, requestStream(profile, request)) : fc.constant(null) }),
    ),
  run: (ctx, { request, cuts }) => {
    const plan = planFor(FAULTS.fragment, requestStream(ctx.profile, request).bytes, cuts);
    return sendAndJudge(ctx, plan, `a request sent as ${describeFor(FAULTS.fragment, plan, cuts)}`);
  },
};
