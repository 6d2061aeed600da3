import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import type { BotSettings } from '../settings';
import { endAndCount, openBot } from '../session';

export const welcome: Clause<null, BotSettings> = {
  id: 'bot.welcome',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端连接后等待，和课程的客户端一样（先读取欢迎信息，再输入内容）。', expectation: '服务端一字不差地发送欢迎信息 欢迎使用xx系统，请输入您想要办理的业务！（framed：作为一个帧），并在客户端结束发送时关闭连接。' },
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
