// learn for hello: whether the server replies before reading, and its fixed reply.
import type { SessionContext } from '../../harness/clause';
import { isValidUtf8 } from '../../harness/text';
import { text, untilQuiet, type Learned } from '../kit/learn';
import type { HelloSettings } from './settings';
import { FrameDecoder } from '../wire/framing';
import { encodeRequest } from './codec';

export async function learnHello(ctx: SessionContext<HelloSettings>): Promise<Learned<HelloSettings>> {
  const replies: Buffer[] = [];
  let beforeRead = false;
  for (const request of ['hello', 'GET / HTTP/1.0\r\n\r\nhello!']) {
    const conn = await ctx.connect();
    // A client that waits before speaking is in-spec; a server that answers now replies before reading.
    await untilQuiet(ctx, conn);
    if (conn.receivedBytes > 0) beforeRead = true;
    else await conn.write(encodeRequest(ctx.profile, Buffer.from(request)));
    await conn.waitForEnd(ctx.stepMs);
    conn.close();
    const got = ctx.profile === 'framed' ? (new FrameDecoder(1 << 20).push(conn.received)[0] ?? Buffer.alloc(0)) : conn.received;
    replies.push(got);
  }
  const [a, b] = replies;
  const settings: HelloSettings = { ...ctx.settings, helloBeforeRead: beforeRead };
  if (!a.length) return { settings, facts: [], unknown: ['the reply: the server sent nothing before closing (set it with --reply TEXT)'] };
  if (!a.equals(b)) return { settings, facts: [], unknown: [`the reply: it differs between two requests ("${text(a)}" and "${text(b)}"), so it is not a fixed reply (set it with --reply TEXT)`] };
  if (isValidUtf8(a)) settings.helloReply = text(a);
  else settings.helloReplyHex = a.toString('hex');
  const facts = [`the reply is ${isValidUtf8(a) ? `"${text(a)}"` : `the bytes ${a.toString('hex')}`}`];
  facts.push(beforeRead ? 'the server replies as soon as a client connects, before reading a request' : 'the server replies after reading the request');
  return { settings, facts, unknown: [] };
}
