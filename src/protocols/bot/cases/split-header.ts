import type { BotSettings } from '../settings';
import { splitHeaderClause } from '../../kit/split-header';
import { messageArb } from '../arbitraries';
import { messageStream } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

export const splitHeader = splitHeaderClause<string, BotSettings>({
  protocol: 'bot',
  words: { frame: 'A message frame', answer: 'replies exactly once', zh: { frame: '一个消息帧', answer: '恰好回复一次' } },
  message: (settings) => messageArb(settings),
  boundaryMessage: () => '你好',
  stream: ({ profile }, text) => messageStream(profile, [Buffer.from(text)]),
  judge: async (ctx, text, plan, sentAs) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    await sendMessage(ctx, s, Buffer.from(text), plan);
    const what = `a message frame sent as ${sentAs}`;
    const missing = await awaitReplies(ctx, s, 1, what);
    if (missing) return missing;
    return endAndCount(ctx, s, { exact: 1 }, what);
  },
});
