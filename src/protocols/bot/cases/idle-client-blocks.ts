import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { FAULTS } from '../../../harness/faults';
import { PASS } from '../../kit/session';
import { sendPlanned } from '../../kit/delivery';
import type { BotSettings } from '../settings';
import { readReplies } from '../codec';
import { sendMessage, type BotSession } from '../session';

/** The idle client: it stalls before its first byte, connection open. */
const IDLE = FAULTS.stall.apply(planOf(Buffer.alloc(0)), 0);

export const idleClientBlocks: Clause<null, BotSettings> = {
  id: 'bot.idle-client-blocks',
  level: 'ADVISORY',
  profiles: ['lesson', 'framed'],
  zh: { description: '一个客户端连接后什么也不发；与此同时第二个客户端连接进来（客服没有欢迎信息时，它还会发一条消息）。', expectation: '第二个客户端不必等第一个离开就能得到服务（一次只服务一个客户端的服务端是允许的，所以这只是建议级 ADVISORY）。' },
  description: 'One client connects and sends nothing; a second client connects meanwhile (and, when the bot has no welcome, sends a message).',
  expectation: 'The second client is served without waiting for the first to leave (a server that serves one client at a time is allowed, so this is only ADVISORY).',
  faults: [FAULTS.stall.name],
  arbitrary: () => fc.constant(null),
  run: async (ctx) => {
    const idle = await ctx.connect();
    await sendPlanned(idle, IDLE);
    const second: BotSession = { conn: await ctx.connect(), sent: [] };
    const noWelcome = ctx.settings.botWelcome === null;
    if (noWelcome) await sendMessage(ctx, second, Buffer.from('hello'));
    const served = await second.conn.waitFor(() => {
      const r = readReplies(ctx.profile, ctx.settings, second.conn.received, second.sent, second.marks);
      return noWelcome ? r.replies > 0 : r.welcome;
    }, ctx.stepMs);
    idle.close();
    second.conn.close();
    if (served) return PASS;
    return {
      verdict: 'wrong-answer',
      summary: `a second client was not served within ${ctx.stepMs} ms while the first client sat idle`,
      expected: 'the second client is served at once',
      observed: 'the second client waits until the first one leaves',
    };
  },
};
