import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { Settings } from '../../types';
import { readReplies } from '../codec';

export const idleClientBlocks: Clause<null, Settings> = {
  id: 'bot.idle-client-blocks',
  level: 'ADVISORY',
  profiles: ['lesson', 'framed'],
  description: 'One client connects and sends nothing; a second client connects meanwhile.',
  expectation: 'The second client gets its welcome without waiting for the first to leave (a server that serves one client at a time is allowed, so this is only ADVISORY).',
  arbitrary: () => fc.constant(null),
  run: async (ctx) => {
    const idle = await ctx.connect();
    const second = await ctx.connect();
    const served = await second.waitFor(() => readReplies(ctx.profile, second.received).welcome, ctx.stepMs);
    idle.close();
    second.close();
    if (served) return PASS;
    return {
      verdict: 'wrong-answer',
      summary: `a second client got no welcome within ${ctx.stepMs} ms while the first client sat idle`,
      expected: 'the second client is served at once',
      observed: 'the second client waits until the first one leaves',
    };
  },
};
