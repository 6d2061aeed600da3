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
