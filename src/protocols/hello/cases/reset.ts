import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { PASS } from '../../kit/session';
import type { HelloSettings } from '../settings';
import { encodeRequest } from '../codec';
import { awaitReply, type HelloCtx, sendRequest } from '../session';

type When = 'before-request' | 'after-request';

async function resetOnce(ctx: HelloCtx, when: When): Promise<void> {
  const conn = await ctx.connect();
  // The reset must reach an accepted connection: a course server then sees it in its recv.
  await conn.awaitAccepted();
  if (when === 'after-request') {
    await sendRequest(ctx, conn, planOf(encodeRequest(ctx.profile, Buffer.from('hello'))));
    if (!conn.finished) await conn.pace();
    await awaitReply(ctx, conn);
  } else if (ctx.settings.helloBeforeRead) {
    // A server that replies on accept would race our RST with its send (crashing in one run
    // and not the next): reset once its reply is here, before our request.
    await awaitReply(ctx, conn);
  }
  conn.reset();
}

export const reset: Clause<When[], HelloSettings> = {
  id: 'hello.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端重置连接（RST）：一个在发送任何数据之前（对连接后就回复的服务端：在收到回复之后），一个在服务端刚读完它的请求之后。', expectation: '服务端挺过每一次重置（在 Python 中 recv 会抛出 ConnectionResetError，必须捕获），并继续为下一个客户端服务。' },
  description:
    'Clients reset their connections (RST): one before sending anything (to a server that replies on connect: once its reply has arrived), one right after its request has been read.',
  expectation: "The server survives each reset (recv raises ConnectionResetError in Python: it must be caught) and serves the next client.",
  // Both moments in every session, in either order: a two-valued choice could miss one.
  arbitrary: () => fc.constantFrom<When[]>(['before-request', 'after-request'], ['after-request', 'before-request']),
  boundary: () => [
    ['before-request', 'after-request'],
    ['after-request', 'before-request'],
  ],
  run: async (ctx, order) => {
    for (const when of order) await resetOnce(ctx, when);
    return PASS;
  },
};
