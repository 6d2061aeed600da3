import type { Clause } from '../../../harness/clause';
import { FAULTS, oversizeArb } from '../../../harness/faults';
import { planOf } from '../../../harness/chunk';
import type { HelloSettings } from '../settings';
import { encodeRequest, READ_SIZE } from '../codec';
import { sendAndJudge } from '../session';

export const oversize: Clause<number, HelloSettings> = {
  id: 'hello.oversize',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送的请求超过 lesson 服务端一次读取的 1024 字节。服务端在还有未读数据时关闭连接，Linux 会发送 RST，客户端可能因此收不到回复。', expectation: '客户端收到完整的回复和正常的关闭（FIN），而不是连接被重置。' },
  description:
    'A client sends a request larger than the 1024-byte read of lesson servers. A server that closes with unread bytes makes Linux send an RST, and the client can lose the reply.',
  expectation: 'The client receives the whole reply and an orderly close (FIN), never a reset.',
  faults: [FAULTS.oversize.name],
  arbitrary: () => oversizeArb(READ_SIZE, 256 * 1024),
  run: (ctx, size) => sendAndJudge(ctx, FAULTS.oversize.apply(planOf(encodeRequest(ctx.profile, Buffer.alloc(size, 0x68))), null), `a request of ${size} bytes`),
};
