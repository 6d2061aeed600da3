// `sockspec learn`: one or two polite, in-spec sessions (lockstep, whole messages, a pause
// between them) against a working solution, and the variant they show. Never bad input.
import type { SessionContext } from '../harness/clause';
import type { Conn } from '../harness/conn';
import { isValidUtf8 } from '../harness/text';
import { ANY_REPLY, decodeFrames, encodeMessage, MESSAGE_PLACEHOLDER } from './bot/codec';
import { encodeRequest } from './hello/codec';
import type { Settings } from './types';
import { readUntilQuiet } from './kit/session';
import { encodeLogin, goodLogins, USERS, type Login } from './auth/codec';
import { jsonHeaderFrame, sizeHeader } from './upload/codec';
import { render } from './template';

export interface Learned {
  settings: Settings;
  /** What was inferred, in words. */
  facts: string[];
  /** What could not be inferred, each with the flag that sets it. */
  unknown: string[];
  /** What was given but did not work (auth: a login the server refused), each a phrase after "could not". */
  failed?: string[];
}

const text = (b: Buffer) => b.toString('utf8');

/** What the server sent from byte `from` on (framed: the frames' payloads, joined). */
function since(ctx: SessionContext<Settings>, conn: Conn, from: number): Buffer {
  const all = conn.received.subarray(from);
  return ctx.profile === 'framed' ? Buffer.concat(decodeFrames(all)) : all;
}

/** How long the server must stay quiet before what it sent is taken as its whole answer. */
const QUIET_MS = 250;

/** Reads until the server falls quiet (or closes), within the step time. */
const untilQuiet = (ctx: SessionContext<Settings>, conn: Conn) => readUntilQuiet(conn, Math.min(QUIET_MS, ctx.stepMs), ctx.stepMs);

/** Sends `bytes`, then reads the answer until the server falls quiet (or closes); returns the answer. */
async function exchange(ctx: SessionContext<Settings>, conn: Conn, bytes: Buffer): Promise<Buffer> {
  const before = conn.receivedBytes;
  await conn.write(bytes);
  await conn.waitFor(() => conn.receivedBytes > before || conn.finished, ctx.stepMs);
  await untilQuiet(ctx, conn);
  return since(ctx, conn, before);
}

export async function learnHello(ctx: SessionContext<Settings>): Promise<Learned> {
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
    const got = ctx.profile === 'framed' ? (decodeFrames(conn.received)[0] ?? Buffer.alloc(0)) : conn.received;
    replies.push(got);
  }
  const [a, b] = replies;
  const settings: Settings = { ...ctx.settings, helloBeforeRead: beforeRead };
  if (!a.length) return { settings, facts: [], unknown: ['the reply: the server sent nothing before closing (set it with --reply TEXT)'] };
  if (!a.equals(b)) return { settings, facts: [], unknown: [`the reply: it differs between two requests ("${text(a)}" and "${text(b)}"), so it is not a fixed reply (set it with --reply TEXT)`] };
  if (isValidUtf8(a)) settings.helloReply = text(a);
  else settings.helloReplyHex = a.toString('hex');
  const facts = [`the reply is ${isValidUtf8(a) ? `"${text(a)}"` : `the bytes ${a.toString('hex')}`}`];
  facts.push(beforeRead ? 'the server replies as soon as a client connects, before reading a request' : 'the server replies after reading the request');
  return { settings, facts, unknown: [] };
}

/** Keys whose value tells success apart, best first: booleans, then anything but free text. */
function successField(success: Record<string, unknown>, failures: Record<string, unknown>[]): string | null {
  const differs = Object.keys(success).filter((k) => failures.every((f) => JSON.stringify(f[k]) !== JSON.stringify(success[k])));
  const rank = (k: string) => (typeof success[k] === 'boolean' ? 0 : /^(msg|message|info|detail|error|text)$/i.test(k) ? 2 : 1);
  return differs.sort((x, y) => rank(x) - rank(y))[0] ?? null;
}

const jsonObject = (t: string): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse(t);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A name not among `taken` (a wrong login must not be a given one). */
const unlike = (name: string, taken: readonly string[]): string => (taken.includes(name) ? unlike(`${name}x`, taken) : name);

/** How success shows, as seen from one success reply and two failures. */
interface SuccessRule {
  patch: Partial<Settings>;
  fact: string;
  /** Whether another reply means success under this rule. */
  ok(reply: string): boolean;
}

/** The rule that tells `right` from the failures, or what was seen when nothing does (and the flags that would set it). */
function inferSuccess(right: string, wrong: string, nobody: string, user: string): SuccessRule | { seen: string; flags: string } {
  const [jw, jn, jr] = [wrong, nobody, right].map(jsonObject);
  if (jw && jn && jr) {
    const field = successField(jr, [jw, jn]);
    if (field === null) return { seen: `${right} and the failures ${wrong}, ${nobody} share every field`, flags: '--success-field and --success-value' };
    const value = JSON.stringify(jr[field]);
    return {
      patch: { authSuccessField: field, authSuccessValue: jr[field] as Settings['authSuccessValue'], authSuccessText: null },
      fact: `replies are JSON: success is "${field}": ${value} (a failure had ${JSON.stringify(jw[field])})`,
      ok: (reply) => JSON.stringify(jsonObject(reply)?.[field]) === value,
    };
  }
  // A success reply that names the user ("welcome alice") is told by the text around the name.
  const sides = right.split(user).map((x) => x.trim().replace(/[,:;!.]+$/, '').trim());
  const successText = sides.length > 1 ? sides.reduce((x, y) => (y.length > x.length ? y : x)) : right.trim();
  if (!successText || wrong.includes(successText) || nobody.includes(successText)) {
    return { seen: `the success reply ${JSON.stringify(right)} is not told apart from the failures ${JSON.stringify(wrong)}, ${JSON.stringify(nobody)}`, flags: '--success-text' };
  }
  return {
    patch: { authSuccessText: successText },
    fact: `replies are text: success says ${JSON.stringify(successText)}; failures said ${JSON.stringify(wrong)} and ${JSON.stringify(nobody)}`,
    ok: (reply) => reply.includes(successText),
  };
}

/** A reply in a sentence: JSON as it came, text quoted. */
const quoteReply = (reply: string) => (jsonObject(reply) ? reply : JSON.stringify(reply));

/** One polite session: the greeting, one login, the reply; and whether the server then closed. */
async function loginSession(ctx: SessionContext<Settings>, login: Login): Promise<{ reply: string; closed: boolean }> {
  const conn = await ctx.connect();
  await untilQuiet(ctx, conn);
  const reply = conn.finished ? '' : text(await exchange(ctx, conn, encodeLogin(ctx, login.user, login.password)));
  await conn.waitForEnd(Math.min(1000, ctx.stepMs));
  const closed = conn.finished;
  conn.end();
  await conn.waitForEnd(ctx.stepMs);
  conn.close();
  return { reply, closed };
}

/**
 * auth: the request format and the users file cannot be probed without sending a server input
 * it may not expect, so they come from the flags (the course's by default). One session shows
 * the greeting, two failure replies (a wrong password, an unknown user) and the success reply.
 * Known logins given with --login (a server that keeps its own users) are each tried, and one
 * that fails is said: the clauses would log in with it.
 */
export async function learnAuth(ctx: SessionContext<Settings>): Promise<Learned> {
  const s = ctx.settings;
  const settings: Settings = { ...s };
  const given = s.authLogins.length > 0;
  const logins = given ? goodLogins(s) : [USERS[0]];
  const users = given
    ? `the logins of ${logins.map((u) => u.user).join(', ')} are given, ${s.authUsersFrom !== null ? `and the users file ${s.authUsersFile} is a copy of ${s.authUsersFrom}` : 'and sockspec writes no users file'}`
    : `users are read from ${s.authUsersFile}, lines "${s.authUsersLine}"`;
  const facts: string[] = [`requests are "${s.authRequest}" and ${users} (from the flags or the course; learn does not probe them)`];
  const unknown: string[] = [];
  const failed: string[] = [];
  const conn = await ctx.connect();
  await untilQuiet(ctx, conn);
  const greeting = text(since(ctx, conn, 0));
  settings.authGreeting = greeting === '' ? null : greeting;
  facts.push(greeting ? `the greeting is ${JSON.stringify(greeting)}` : 'there is no greeting');
  const replies: string[] = [];
  const known = logins[0];
  const attempts = [
    { user: known.user, password: unlike('not-her-password', [known.password]) },
    { user: unlike('nobody', logins.map((u) => u.user)), password: known.password },
    known,
  ];
  for (const a of attempts) {
    if (conn.finished) break;
    replies.push(text(await exchange(ctx, conn, encodeLogin(ctx, a.user, a.password))));
  }
  await conn.waitForEnd(Math.min(1000, ctx.stepMs));
  const closedAfterFirst = conn.finished;
  conn.end();
  await conn.waitForEnd(ctx.stepMs);
  conn.close();
  const [wrong, nobody] = replies;
  if (replies.length < 3 || !wrong || !nobody) {
    unknown.push('the replies: the server closed or stayed silent after a wrong password (a login server answers each attempt; check --request)');
    return { settings, facts, unknown };
  }
  // Every login gets its own session (the first shared the failures'); the first one told apart
  // from the failures shows how success shows, and every other is judged by that.
  const tries = [{ login: known, reply: replies[2], closed: closedAfterFirst }];
  for (const login of logins.slice(1)) tries.push({ login, ...(await loginSession(ctx, login)) });
  let rule: SuccessRule | null = null;
  let closedAfterSuccess = false;
  const seen: { user: string; seen: string; flags: string }[] = [];
  for (const t of tries.filter((x) => x.reply)) {
    const r = inferSuccess(t.reply, wrong, nobody, t.login.user);
    if ('seen' in r) {
      seen.push({ user: t.login.user, ...r });
      continue;
    }
    [rule, closedAfterSuccess] = [r, t.closed];
    Object.assign(settings, r.patch);
    facts.push(r.fact);
    break;
  }
  const loggedIn: string[] = [];
  for (const { login, reply } of tries) {
    if (!reply && given) failed.push(`log in as ${login.user}: the given login got no answer (check --login and --request)`);
    else if (!reply) unknown.push(`the success reply: the right password got no answer (check --request, --users-file and --users-line: the users file held ${JSON.stringify(render(s.authUsersLine, known))})`);
    else if (rule?.ok(reply)) loggedIn.push(login.user);
    else if (rule) failed.push(`log in as ${login.user} with the given password: the server answered ${quoteReply(reply)}, not a success (check --login)`);
  }
  // No login was told apart from the failures: either every given login is wrong, or success does not show.
  for (const x of rule ? [] : seen) {
    if (given) failed.push(`log in as ${x.user} with the given password: ${x.seen} (check --login; if it did log in, set ${x.flags})`);
    else unknown.push(`how success shows: ${x.seen} (check the users file flags, or set ${x.flags})`);
  }
  if (!rule) return { settings, facts, unknown, failed };
  if (given && loggedIn.length) facts.push(`the given login${loggedIn.length > 1 ? 's' : ''} of ${loggedIn.join(', ')} log${loggedIn.length > 1 ? '' : 's'} in`);
  facts.push(closedAfterSuccess ? 'the server closes the connection after a success' : 'the server did not close the connection after a success (sockspec expects it to)');
  return { settings, facts, unknown, failed };
}

/**
 * upload: the header form is taken from the flags (a server must not be sent a header it does
 * not expect). One polite upload shows whether the server acknowledges the header.
 */
export async function learnUpload(ctx: SessionContext<Settings>): Promise<Learned> {
  const s = ctx.settings;
  const settings: Settings = { ...s };
  const body = Buffer.from('sockspec learn\n');
  const framedJson = ctx.profile === 'framed' && s.uploadFramed === 'json-header';
  const facts: string[] = [];
  if (ctx.profile === 'framed' && !framedJson) {
    facts.push("framed uploads use the course's msg/file/close transfer (for one JSON header frame and the raw body, give --framed-form json-header --header TEMPLATE)");
    return { settings, facts, unknown: [] };
  }
  facts.push(`the header is "${s.uploadHeader}" (from the flags or the course; learn does not probe it)`);
  const conn = await ctx.connect();
  await conn.write(framedJson ? jsonHeaderFrame(s, body.length, 'learn.txt') : sizeHeader(body.length, s, 'learn.txt'));
  await conn.pace();
  await untilQuiet(ctx, conn);
  const ack = conn.received.toString('utf8');
  settings.uploadAck = ack === '' ? null : ack;
  facts.push(ack ? `the server acknowledges the header with ${JSON.stringify(ack)}` : 'the server sends nothing after the header');
  if (!conn.finished) await conn.write(body);
  conn.end();
  await conn.waitForEnd(ctx.stepMs);
  conn.close();
  if (!conn.serverEnded || conn.receivedBytes > Buffer.byteLength(ack)) {
    return { settings, facts, unknown: [`the upload: the server ${conn.serverEnded ? 'sent more after the body' : 'did not close after a complete upload'} (check --header)`] };
  }
  return { settings, facts, unknown: [] };
}

export async function learnBot(ctx: SessionContext<Settings>): Promise<Learned> {
  const conn = await ctx.connect();
  const settings: Settings = { ...ctx.settings };
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
