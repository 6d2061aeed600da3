import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, splitAt } from '../../../harness/chunk';
import { fragmentArb } from '../../../harness/faults';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { encodeMessage } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

interface Input {
  messages: string[];
  /** framed only: how each message frame is cut. */
  cuts: number[][];
}

export const replyPerMessage: Clause<Input, BotSettings> = {
  id: 'bot.reply-per-message',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  description:
    'After the welcome, a client sends n messages in lockstep: each one (lesson: in its own segment; framed: one frame cut anywhere), then waits for its reply. Then it ends its stream.',
  expectation: 'Exactly n replies 你说啥？ arrive (counted by bytes: replies may coalesce on the client side), and the server closes after the end of stream.',
  arbitrary: (profile, settings) =>
    fc.array(messageArb(settings), { minLength: 1, maxLength: 5 }).chain((messages) =>
      fc.record({
        messages: fc.constant(messages),
        cuts: profile === 'framed' ? fc.tuple(...messages.map((m) => fragmentArb(Buffer.byteLength(m) + 4, 4))) : fc.constant(messages.map(() => [])),
      }),
    ),
  run: async (ctx, { messages, cuts }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    for (let i = 0; i < messages.length; i++) {
      const bytes = encodeMessage(ctx.profile, Buffer.from(messages[i]));
      await sendMessage(ctx, s, Buffer.from(messages[i]), splitAt(bytes, cuts[i]));
      const missing = await awaitReplies(ctx, s, i + 1, `after message ${i + 1} of ${messages.length} (${describeCuts(bytes.length, cuts[i])})`);
      if (missing) {
        s.conn.close();
        return missing;
      }
    }
    return endAndCount(ctx, s, { exact: messages.length }, `${messages.length} messages in lockstep`);
  },
};
