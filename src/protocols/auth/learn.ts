// learn for auth: the greeting, and how success shows (a JSON field, or the text of the success
// reply); the request format and users file come from the flags. Given logins are each tried.
import type { SessionContext } from '../../harness/clause';
import { exchange, since, text, untilQuiet, type Learned } from '../kit/learn';
import { render } from '../template';
import type { AuthSettings } from './settings';
import { encodeLogin, goodLogins, USERS, type Login } from './codec';

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
  patch: Partial<AuthSettings>;
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
      patch: { authSuccessField: field, authSuccessValue: jr[field] as AuthSettings['authSuccessValue'], authSuccessText: null },
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
async function loginSession(ctx: SessionContext<AuthSettings>, login: Login): Promise<{ reply: string; closed: boolean }> {
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
export async function learnAuth(ctx: SessionContext<AuthSettings>): Promise<Learned<AuthSettings>> {
  const s = ctx.settings;
  const settings: AuthSettings = { ...s };
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
