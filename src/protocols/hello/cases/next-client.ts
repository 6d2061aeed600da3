import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import type { HelloSettings } from '../settings';
import { requestArb } from '../arbitraries';
import { encodeRequest } from '../codec';
import { sendAndJudge } from '../session';

export const nextClient: Clause<Buffer[], HelloSettings> = {
  id: 'hello.next-client',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '多个客户端先后连接，每个发送一个请求。', expectation: '每个客户端都收到完整的回复，连接被正常关闭：服务端回到 accept，等待下一个客户端。' },
  description: 'Several clients connect one after the other, each sending one request.',
  expectation: 'Every client gets the whole reply and an orderly close: the server goes back to accept the next client.',
  arbitrary: () => fc.array(requestArb(), { minLength: 2, maxLength: 4 }),
  run: async (ctx, requests) => {
    for (let i = 0; i < requests.length; i++) {
      const seen = await sendAndJudge(ctx, planOf(encodeRequest(ctx.profile, requests[i])), `client ${i + 1} of ${requests.length}`);
      if (seen.verdict !== 'pass') return seen;
    }
    return { verdict: 'pass', summary: 'as expected' };
  },
};
