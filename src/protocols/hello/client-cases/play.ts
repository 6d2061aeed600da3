// hello with sockspec as the server, for testing a student's hello client: read its request,
// send the reply, close (a server that replies first sends at once and then drains).
import { wideText } from '../../../harness/faults';
import { ClientReader, CUT_SHORT, playedMessage, sentWrong, type ServerPlay, type TextChoice } from '../../kit/client-play';
import { replyOf } from '../codec';
import type { HelloSettings } from '../settings';

function reply(settings: HelloSettings, text: TextChoice): Buffer {
  if (text === 'long') return Buffer.from(wideText(3000));
  if (text === 'wide') return Buffer.from('你好，世界！hello world');
  return replyOf(settings);
}

export const helloPlay: ServerPlay<HelloSettings> = {
  protocol: 'hello',
  // Nothing to type; empty lines for a client that waits for Enter before it exits.
  script: () => ({ stdin: '\n\n' }),
  writes: (settings, profile, text) => {
    const bytes = reply(settings, text);
    return [playedMessage(profile, bytes, settings.helloReplyHex === undefined || text !== 'plain' ? bytes.toString('utf8') : undefined)];
  },
  play: async (ctx, ep, sender) => {
    const reader = new ClientReader(ep, ctx);
    if (ctx.settings.helloBeforeRead && !(await sender.send(0))) return CUT_SHORT;
    if (ctx.profile === 'framed') {
      const f = await reader.frame();
      if (!f.payload) return { ...sentWrong('no whole request frame', 'a request frame (4-byte length, then the request)', reader.pending), over: reader.ended };
    } else if (!(await reader.anything())) return { ...sentWrong('no request', 'a request (any bytes, the course sends hello)', undefined), over: reader.ended };
    if (!ctx.settings.helloBeforeRead && !(await sender.send(0))) return CUT_SHORT;
    // The course server's conn.close(): the client must take the reply and finish.
    ep.abandon();
    return { verdict: 'pass', summary: 'as expected', over: true };
  },
};
