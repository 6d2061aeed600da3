import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { expectServerClose, PASS } from '../../kit/session';
import type { BotSettings } from '../settings';
import { awaitReplies, openAfter, sendMessage } from '../session';

export const endWord: Clause<number, BotSettings> = {
  id: 'bot.end-word',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '作业规定了结束词（比如 `exit`）时，客户端一问一答地发送 k 条消息，再发送结束词，并保持自己这一端不关闭。', expectation: '服务端回复这 k 条消息，收到结束词后不回复它，直接断开连接。' },
  description: 'When the assignment has an end word (like `exit`), a client sends k messages in lockstep, then the end word, and keeps its side open.',
  expectation: 'The server answers the k messages, then closes the session on the end word without answering it.',
  appliesTo: (settings) => settings.botEndWord !== null,
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { s, bad } = await openAfter(ctx, k);
    if (bad) return bad;
    await sendMessage(ctx, s, Buffer.from(ctx.settings.botEndWord!));
    const closing = await expectServerClose(s.conn, ctx.stepMs, false, `after the end word "${ctx.settings.botEndWord}"`);
    if (closing) return closing;
    s.sent?.pop(); // the end word gets no reply
    const extra = await awaitReplies(ctx, s, k, 'after the end word');
    s.conn.close();
    return extra ?? PASS;
  },
};
