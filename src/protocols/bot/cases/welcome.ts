import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { BotSettings } from '../settings';
import { endAndCount, openBot } from '../session';

export const welcome: Clause<null, BotSettings> = {
  id: 'bot.welcome',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  description: 'A client connects and waits, as the course client does (it reads the welcome before typing).',
  expectation: 'The server sends exactly the welcome 欢迎使用xx系统，请输入您想要办理的业务！ (framed: as one frame), and closes when the client ends its stream.',
  arbitrary: () => fc.constant(null),
  run: async (ctx) => {
    const { s, bad } = await openBot(ctx);
    if (bad) {
      s.conn.close();
      return bad;
    }
    return endAndCount(ctx, s, { exact: 0 }, 'a client that only read the welcome');
  },
};
