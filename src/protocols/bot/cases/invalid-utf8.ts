import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { planFor, sendPlanned } from '../../kit/delivery';
import type { BotSettings } from '../settings';
import { messageArb } from '../arbitraries';
import { messageStream } from '../codec';
import { endAndCount, openBot } from '../session';

export const invalidUtf8: Clause<{ text: string; bad: ParamsOf<typeof FAULTS.badBytes> }, BotSettings> = {
  id: 'bot.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送一条不是合法 UTF-8 的消息，然后结束发送。', expectation: '服务端可以回复（一条回复，或什么都不回）或关闭连接，但不崩溃、不卡住、不空转，并继续为下一个客户端服务。' },
  description: 'A client sends a message that is not valid UTF-8, then ends its stream.',
  expectation: 'The server answers (a reply, or nothing) or closes, but does not crash, hang or spin, and serves the next client.',
  faults: [FAULTS.badBytes.name],
  arbitrary: (profile, settings) =>
    messageArb(settings).chain((text) => {
      const { bytes, hints } = messageStream(profile, [Buffer.from(text)]);
      return fc.record({ text: fc.constant(text), bad: FAULTS.badBytes.params(bytes.length, hints) });
    }),
  run: async (ctx, { text, bad: garble }) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    s.sent = null; // garbled on purpose: any reply will do
    await sendPlanned(s.conn, planFor(FAULTS.badBytes, messageStream(ctx.profile, [Buffer.from(text)]).bytes, garble));
    await s.conn.pace();
    return endAndCount(ctx, s, {}, 'a message that is not valid UTF-8', true);
  },
};
