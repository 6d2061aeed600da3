import type { Clause } from '../../../harness/clause';
import { oversizeArb } from '../../../harness/faults';
import type { HelloSettings } from '../settings';
import { encodeRequest, READ_SIZE } from '../codec';
import { sendAndJudge } from '../session';

export const oversize: Clause<number, HelloSettings> = {
  id: 'hello.oversize',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description:
    'A client sends a request larger than the 1024-byte read of lesson servers. A server that closes with unread bytes makes Linux send an RST, and the client can lose the reply.',
  expectation: 'The client receives the whole reply and an orderly close (FIN), never a reset.',
  arbitrary: () => oversizeArb(READ_SIZE, 256 * 1024),
  run: (ctx, size) => sendAndJudge(ctx, [encodeRequest(ctx.profile, Buffer.alloc(size, 0x68))], `a request of ${size} bytes`),
};
