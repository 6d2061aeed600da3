import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { expectServerClose, PASS } from '../../kit/session';
import type { BotSettings } from '../settings';
import { awaitReplies, openAfter, sendMessage } from '../session';

export const endWord: Clause<number, BotSettings> = {
  id: 'bot.end-word',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
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
