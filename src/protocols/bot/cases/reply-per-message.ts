import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { describeFor, maybe, planFor } from '../../kit/delivery';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { messageStream } from '../codec';
import { awaitReplies, endAndCount, openBot, sendMessage } from '../session';

interface Input {
  messages: string[];
  /** framed only: how each message frame is cut (null: one segment). */
  cuts: (ParamsOf<typeof FAULTS.fragment> | null)[];
}

export const replyPerMessage: Clause<Input, BotSettings> = {
  id: 'bot.reply-per-message',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '收到欢迎信息后，客户端一问一答地发送 n 条消息：每发一条（lesson：单独一个段；framed：一个帧，在任意位置切开）就等它的回复。最后结束发送。', expectation: '恰好收到 n 条回复 你说啥？（按字节计数：几条回复在客户端可能粘在一起），客户端结束发送后服务端关闭连接。' },
  description:
    'After the welcome, a client sends n messages in lockstep: each one (lesson: in its own segment; framed: one frame cut anywhere), then waits for its reply. Then it ends its stream.',
  expectation: 'Exactly n replies 你说啥？ arrive (counted by bytes: replies may coalesce on the client side), and the server closes after the end of stream.',
  faults: [FAULTS.fragment.name],
  arbitrary: (profile, settings) =>
    fc.array(messageArb(settings), { minLength: 1, maxLength: 5 }).chain((messages) =>
      fc.record({
        messages: fc.constant(messages),
        cuts: profile === 'framed' ? fc.tuple(...messages.map((m) => maybe(FAULTS.fragment, messageStream(profile, [Buffer.from(m)])))) : fc.constant(messages.map(() => null)),
      }),
    ),
  run: async (ctx, { messages, cuts }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    for (let i = 0; i < messages.length; i++) {
      const message = Buffer.from(messages[i]);
      const plan = planFor(FAULTS.fragment, messageStream(ctx.profile, [message]).bytes, cuts[i]);
      await sendMessage(ctx, s, message, plan);
      const missing = await awaitReplies(ctx, s, i + 1, `after message ${i + 1} of ${messages.length} (${describeFor(FAULTS.fragment, plan, cuts[i])})`);
      if (missing) {
        s.conn.close();
        return missing;
      }
    }
    return endAndCount(ctx, s, { exact: messages.length }, `${messages.length} messages in lockstep`);
  },
};
