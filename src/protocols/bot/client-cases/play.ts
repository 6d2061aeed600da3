// bot with sockspec as the server, for testing a student's bot client: the welcome, then one
// reply per message the client sends, until it closes (after `q`), then the server closes.
import type { ClientObservation } from '../../../harness/client-clause';
import { wideText } from '../../../harness/faults';
import { ClientReader, CUT_SHORT, playedMessage, sentWrong, type PlayedWrite, type ServerPlay, type TextChoice } from '../../kit/client-play';
import { replyText, anyReply, REPLY } from '../codec';
import type { BotSettings } from '../settings';

/** What the scripted user types: ASCII and Chinese, then q (the course client's way out). */
export const BOT_SCRIPT = ['你好', 'hello', '查询余额'];

function replyOf(settings: BotSettings, text: TextChoice, message: string): string {
  if (text === 'long') return wideText(3000);
  // `--reply any` is the student's server's business: sockspec replies with the course's text.
  const reply = anyReply(settings) ? REPLY : replyText(settings, Buffer.from(message));
  return text === 'wide' && Buffer.byteLength(reply) === reply.length ? `${reply} ${REPLY}` : reply;
}

export const botPlay: ServerPlay<BotSettings> = {
  protocol: 'bot',
  // Then q (the course client quits on it), or the variant's end word; spare empty lines for a
  // client that asks for one more (input('按回车键退出')).
  script: (settings) => ({ stdin: [...BOT_SCRIPT, settings.botEndWord ?? 'q', '', '', ''].join('\n') }),
  writes: (settings, profile, text) => {
    const writes: PlayedWrite[] = [];
    if (settings.botWelcome !== null) writes.push(playedMessage(profile, settings.botWelcome, settings.botWelcome));
    for (const m of BOT_SCRIPT) {
      const reply = replyOf(settings, text, m);
      writes.push(playedMessage(profile, reply, reply));
    }
    return writes;
  },
  play: async (ctx, ep, sender): Promise<ClientObservation> => {
    const reader = new ClientReader(ep, ctx);
    let k = 0;
    if (ctx.settings.botWelcome !== null && !(await sender.send(k++))) return CUT_SHORT;
    for (const [i, m] of BOT_SCRIPT.entries()) {
      const what = `message ${i + 1} of ${BOT_SCRIPT.length} (the user typed ${JSON.stringify(m)})`;
      if (ctx.profile === 'framed') {
        const f = await reader.frame();
        if (!f.payload || !f.payload.equals(Buffer.from(m))) return ended(sentWrong(`something else as ${what}`, `a frame holding ${JSON.stringify(m)}`, f.payload ?? f.bad), reader.ended);
      } else {
        const r = await reader.expect(Buffer.from(m));
        if (!r.ok) return ended(sentWrong(`something else as ${what}`, JSON.stringify(m), r.got), reader.ended);
      }
      if (!(await sender.send(k++))) return CUT_SHORT;
    }
    // A variant with an end word: the client sends it and the server closes (a client that closes on its own is fine too).
    const end = ctx.settings.botEndWord;
    if (end !== null) {
      const said = ctx.profile === 'framed' ? (await reader.frame()).payload?.equals(Buffer.from(end)) : (await reader.expect(Buffer.from(end))).ok;
      if (said) {
        ep.abandon();
        return { verdict: 'pass', summary: 'as expected', over: true };
      }
      if (!reader.ended) return ended(sentWrong(`something else than the end word ${JSON.stringify(end)}`, JSON.stringify(end), reader.pending), false);
    }
    // The user typed q: the client closes, and the server closes its side (recv returned b'').
    if (!(await reader.end())) return { verdict: 'hang', summary: 'after its last message and q, the client neither closed the connection nor exited', over: false };
    if (reader.pending.length) return ended(sentWrong('more than its messages', 'nothing after the last message', reader.pending), true);
    ep.abandon();
    return { verdict: 'pass', summary: 'as expected', over: true };
  },
};

const ended = (obs: ClientObservation, over: boolean): ClientObservation => ({ ...obs, over });
