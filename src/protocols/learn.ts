// `sockspec learn`: one or two polite, in-spec sessions (lockstep, whole messages, a pause
// between them) against a working solution, and the variant they show. Never bad input.
import type { Conn } from '../harness/conn';
import type { SessionContext } from '../harness/clause';
import { isValidUtf8 } from '../harness/text';
import { decodeFrames, MESSAGE_PLACEHOLDER } from './bot/codec';
import { encodeFrame } from './wire/framing';
import { DEFAULT_SETTINGS, type Settings } from './types';

export interface Learned {
  settings: Settings;
  /** What was inferred, in words. */
  facts: string[];
  /** What could not be inferred, each with the flag that sets it. */
  unknown: string[];
}

/** Reads until the server has been quiet for `quietMs` (or closed), at most `maxMs`. */
async function readUntilQuiet(conn: Conn, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline && !conn.finished) {
    const n = conn.receivedBytes;
    await conn.waitFor(() => conn.receivedBytes > n || conn.finished, Math.min(quietMs, deadline - Date.now()));
    if (conn.receivedBytes === n) return;
  }
}

const text = (b: Buffer) => b.toString('utf8');

export async function learnHello(ctx: SessionContext<Settings>): Promise<Learned> {
  const replies: Buffer[] = [];
  for (const request of ['hello', 'GET / HTTP/1.0\r\n\r\nhello!']) {
    const conn = await ctx.connect();
    await conn.write(ctx.profile === 'framed' ? encodeFrame(request) : Buffer.from(request));
    await conn.waitForEnd(ctx.stepMs);
    conn.close();
    const got = ctx.profile === 'framed' ? (decodeFrames(conn.received)[0] ?? Buffer.alloc(0)) : conn.received;
    replies.push(got);
  }
  const [a, b] = replies;
  const settings: Settings = { ...DEFAULT_SETTINGS };
  if (!a.length) return { settings, facts: [], unknown: ['the reply: the server sent nothing before closing (set it with --reply TEXT)'] };
  if (!a.equals(b)) return { settings, facts: [], unknown: [`the reply: it differs between two requests ("${text(a)}" and "${text(b)}"), so it is not a fixed reply (set it with --reply TEXT)`] };
  if (isValidUtf8(a)) settings.helloReply = text(a);
  else settings.helloReplyHex = a.toString('hex');
  return { settings, facts: [`the reply is ${isValidUtf8(a) ? `"${text(a)}"` : `the bytes ${a.toString('hex')}`}`], unknown: [] };
}

export async function learnBot(ctx: SessionContext<Settings>): Promise<Learned> {
  const quiet = Math.min(250, ctx.stepMs);
  const conn = await ctx.connect();
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const facts: string[] = [];
  const unknown: string[] = [];
  const chunk = (from: number) => {
    const all = conn.received.subarray(from);
    return ctx.profile === 'framed' ? Buffer.concat(decodeFrames(all)) : all;
  };
  // The bytes before the first message are the welcome.
  await readUntilQuiet(conn, quiet, ctx.stepMs);
  const welcome = chunk(0);
  settings.botWelcome = welcome.length ? text(welcome) : null;
  facts.push(welcome.length ? `the welcome is "${text(welcome)}"` : 'there is no welcome');
  // Two different messages show whether the reply is fixed or a template around the message.
  const replies: Buffer[] = [];
  const messages = ['hello', 'sockspec 123'];
  for (const m of messages) {
    const before = conn.receivedBytes;
    await conn.write(ctx.profile === 'framed' ? encodeFrame(m) : Buffer.from(m));
    await conn.waitFor(() => conn.receivedBytes > before || conn.finished, ctx.stepMs);
    await readUntilQuiet(conn, quiet, ctx.stepMs);
    replies.push(chunk(before));
  }
  const [ra, rb] = replies.map(text);
  if (!ra) unknown.push('the reply: the server did not answer a message (set it with --reply TEMPLATE)');
  else if (ra === rb) {
    settings.botReply = ra;
    facts.push(`the reply is the fixed text "${ra}"`);
  } else if (ra.includes(messages[0]) && ra.split(messages[0]).join(MESSAGE_PLACEHOLDER).split(MESSAGE_PLACEHOLDER).join(messages[1]) === rb) {
    settings.botReply = ra.split(messages[0]).join(MESSAGE_PLACEHOLDER);
    facts.push(`the reply is the template "${settings.botReply}" ({message} is the message)`);
  } else {
    unknown.push(`the reply: "${ra}" and "${rb}" are neither one fixed text nor one template around the message (set it with --reply TEMPLATE)`);
  }
  // End words are tried last, one at a time: a bot without one just answers them.
  settings.botEndWord = null;
  for (const word of ['exit', 'quit', 'bye', 'q']) {
    const before = conn.receivedBytes;
    await conn.write(ctx.profile === 'framed' ? encodeFrame(word) : Buffer.from(word));
    await conn.waitFor(() => conn.receivedBytes > before || conn.finished, ctx.stepMs);
    if (conn.finished && conn.receivedBytes === before) {
      settings.botEndWord = word;
      break;
    }
    await readUntilQuiet(conn, quiet, ctx.stepMs);
  }
  facts.push(settings.botEndWord ? `the end word "${settings.botEndWord}" closes the session` : 'no end word (exit, quit, bye, q) closes the session');
  conn.end();
  await conn.waitForEnd(ctx.stepMs);
  conn.close();
  return { settings, facts, unknown };
}
