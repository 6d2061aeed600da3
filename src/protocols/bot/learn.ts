// learn for bot: the welcome, the reply (fixed, a template around the message, or any), the end word.
import type { SessionContext } from '../../harness/clause';
import { exchange, since, text, untilQuiet, type Learned } from '../kit/learn';
import type { BotSettings } from './settings';
import { ANY_REPLY, encodeMessage, MESSAGE_PLACEHOLDER } from './codec';

export async function learnBot(ctx: SessionContext<BotSettings>): Promise<Learned<BotSettings>> {
  const conn = await ctx.connect();
  const settings: BotSettings = { ...ctx.settings };
  const facts: string[] = [];
  const unknown: string[] = [];
  // The bytes before the first message are the welcome.
  await untilQuiet(ctx, conn);
  const welcome = since(ctx, conn, 0);
  settings.botWelcome = welcome.length ? text(welcome) : null;
  facts.push(welcome.length ? `the welcome is "${text(welcome)}"` : 'there is no welcome');
  // Two different messages show whether the reply is fixed or a template around the message.
  const replies: Buffer[] = [];
  const messages = ['hello', 'sockspec 123'];
  for (const m of messages) replies.push(await exchange(ctx, conn, encodeMessage(ctx.profile, Buffer.from(m))));
  const [ra, rb] = replies.map(text);
  if (!ra) unknown.push('the reply: the server did not answer a message (set it with --reply TEMPLATE)');
  else if (ra === rb) {
    settings.botReply = ra;
    facts.push(`the reply is the fixed text "${ra}"`);
  } else if (ra.includes(messages[0]) && ra.split(messages[0]).join(MESSAGE_PLACEHOLDER).split(MESSAGE_PLACEHOLDER).join(messages[1]) === rb) {
    settings.botReply = ra.split(messages[0]).join(MESSAGE_PLACEHOLDER);
    facts.push(`the reply is the template "${settings.botReply}" ({message} is the message)`);
  } else {
    // A reply computed from the message (say .upper()) cannot be predicted: any reply will do.
    settings.botReply = ANY_REPLY;
    facts.push(`the reply: "${ra}" and "${rb}" are neither one fixed text nor one template around the message, so any non-empty reply per message is accepted (--reply any; set --reply TEMPLATE if you know it)`);
  }
  // End words are tried last, one at a time: a bot without one just answers them.
  settings.botEndWord = null;
  for (const word of ['exit', 'quit', 'bye', 'q']) {
    const before = conn.receivedBytes;
    await conn.write(encodeMessage(ctx.profile, Buffer.from(word)));
    await conn.waitFor(() => conn.receivedBytes > before || conn.finished, ctx.stepMs);
    if (conn.finished && conn.receivedBytes === before) {
      settings.botEndWord = word;
      break;
    }
    await untilQuiet(ctx, conn);
  }
  facts.push(settings.botEndWord ? `the end word "${settings.botEndWord}" closes the session` : 'no end word (exit, quit, bye, q) closes the session');
  conn.end();
  await conn.waitForEnd(ctx.stepMs);
  conn.close();
  return { settings, facts, unknown };
}
