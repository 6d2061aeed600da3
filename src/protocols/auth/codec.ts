// auth (远程用户认证) on the wire. lesson: the greeting, then per attempt `user|password` and one
// JSON reply {"status": bool, "msg": text}; replies are parsed as a stream of JSON objects
// (never one read = one reply). framed: every message is a frame, replies are JSON frames.
// A course variant changes the greeting, the request template, the users file, and the
// replies: a JSON field and value that mean success, or text replies that success contains.
import { CodecError } from '../../harness/errors';
import { FrameDecoder, onTheWire, wireStream } from '../wire/framing';
import { JsonObjectStream } from '../wire/reply-streams';
import { match, render } from '../template';
import type { Profile } from '../types';
import type { AuthSettings } from './settings';

export const MAX_REQUEST = 64 * 1024;

/** What the codec needs to know: the profile and the variant (a SessionContext has both). */
export interface AuthWire {
  profile: Profile;
  settings: AuthSettings;
}

export interface AuthReply {
  /** Whether the reply means success, under the variant's rule. */
  status: boolean;
  /** The reply as received (a parsed JSON value, or the text). */
  raw: unknown;
}

export const textReplies = (w: AuthWire) => w.settings.authSuccessText !== null;

export function encodeLogin(w: AuthWire, user: string, password: string): Buffer {
  return encodeRequest(w.profile, Buffer.from(render(w.settings.authRequest, { user, password })));
}

/** A login request as it goes on the wire, with what faults need to know of it. */
export function loginStream(w: AuthWire, user: string, password: string) {
  return wireStream(w.profile, [render(w.settings.authRequest, { user, password })]);
}

export function encodeRequest(profile: Profile, bytes: Buffer): Buffer {
  return onTheWire(profile, bytes);
}

/** The greeting's bytes (framed: one frame); empty when the variant has none. */
export function greetingBytes(w: AuthWire): Buffer {
  const g = w.settings.authGreeting;
  if (g === null) return Buffer.alloc(0);
  return onTheWire(w.profile, g);
}

/** JSON the way Python's json.dumps writes it: non-ASCII as \uXXXX escapes. */
export function dumps(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value that is not the success value (what a reference server answers on failure). */
function failureValue(success: AuthSettings['authSuccessValue']): AuthSettings['authSuccessValue'] {
  if (typeof success === 'boolean') return !success;
  if (typeof success === 'number') return success === 0 ? 1 : 0;
  return success === 'fail' ? 'error' : 'fail';
}

/** A reply a reference server sends, in the variant's form. */
export function encodeReply(w: AuthWire, ok: boolean, msg: string): Buffer {
  const s = w.settings;
  let text: string;
  if (s.authSuccessText !== null) {
    const failure = ['login failed', 'denied', 'no'].find((t) => !t.includes(s.authSuccessText!)) ?? '';
    text = ok ? s.authSuccessText : failure;
  } else {
    text = dumps({ [s.authSuccessField]: ok ? s.authSuccessValue : failureValue(s.authSuccessValue), msg });
  }
  return onTheWire(w.profile, text);
}

export interface AuthStream {
  greeting: boolean;
  replies: AuthReply[];
  /** Why the bytes are not what an auth server may send, if they are not. */
  error?: string;
}

/** How success is told, in words (for expectations). */
export function successWords(w: AuthWire): { success: string; failure: string } {
  const s = w.settings;
  if (s.authSuccessText !== null) return { success: `a reply containing "${s.authSuccessText}"`, failure: `a reply without "${s.authSuccessText}"` };
  const v = JSON.stringify(s.authSuccessValue);
  return { success: `{"${s.authSuccessField}": ${v}, ...}`, failure: `{"${s.authSuccessField}": (not ${v}), ...}` };
}

function asJsonReply(w: AuthWire, v: unknown): AuthReply | string {
  const field = w.settings.authSuccessField;
  const want = w.settings.authSuccessValue;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'a reply is not a JSON object';
  if (!(field in v)) return `a reply has no "${field}" field`;
  const got = (v as Record<string, unknown>)[field];
  if (typeof want === 'boolean' && typeof got !== 'boolean') return `a reply's "${field}" is not true or false`;
  return { status: JSON.stringify(got) === JSON.stringify(want), raw: v };
}

const asTextReply = (w: AuthWire, b: Buffer): AuthReply => {
  const raw = b.toString('utf8');
  return { status: raw.includes(w.settings.authSuccessText!), raw };
};

/**
 * Parses what an auth server sent: greeting, then replies. `marks` are the received-byte
 * offsets at which each attempt was sent (they delimit text replies in the lesson profile).
 */
export function parseAuth(w: AuthWire, received: Buffer, attempts: readonly number[]): AuthStream {
  const greeting = greetingBytes(w);
  const head = received.subarray(0, greeting.length);
  if (!greeting.subarray(0, head.length).equals(head)) return { greeting: false, replies: [], error: 'the greeting is wrong' };
  if (received.length < greeting.length) return { greeting: false, replies: [] };
  const rest = received.subarray(greeting.length);
  const replies: AuthReply[] = [];
  if (textReplies(w) && w.profile === 'lesson') {
    const marks = attempts.map((m) => Math.max(0, m - greeting.length));
    if (rest.length && (!marks.length || marks[0] > 0)) return { greeting: true, replies, error: 'the server sent something before the first attempt' };
    marks.forEach((m, i) => {
      const bytes = rest.subarray(m, marks[i + 1] ?? rest.length);
      if (bytes.length) replies.push(asTextReply(w, bytes));
    });
    return { greeting: true, replies };
  }
  try {
    const values = w.profile === 'framed' ? new FrameDecoder(MAX_REQUEST).push(rest) : new JsonObjectStream().push(rest);
    for (const v of values) {
      if (Buffer.isBuffer(v) && textReplies(w)) {
        replies.push(asTextReply(w, v));
        continue;
      }
      const r = asJsonReply(w, Buffer.isBuffer(v) ? (JSON.parse(v.toString('utf8')) as unknown) : v);
      if (typeof r === 'string') return { greeting: true, replies, error: r };
      replies.push(r);
    }
  } catch (e) {
    return { greeting: true, replies, error: e instanceof CodecError || e instanceof SyntaxError ? `a reply is not JSON: ${e.message}` : String(e) };
  }
  return { greeting: true, replies };
}

export type Login = { user: string; password: string };

/** The users the harness writes to the users file (non-ASCII names included). */
export const USERS: readonly Login[] = [
  { user: 'alice', password: 'wonderland' },
  { user: '张三', password: '密码123' },
  { user: 'bob', password: 'b0b-secret' },
  { user: '李四', password: 'lisi' },
  { user: 'zoë', password: 'ünïcødé' },
];

/** A login given as `user:password`: the first colon separates (a password may hold colons). */
export function splitLogin(text: string): Login {
  const colon = text.indexOf(':');
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * The good logins the clauses use: the known ones given with --login (a server that keeps its
 * own users), else the users the tester writes to the users file. Every wrong login is derived
 * from these.
 */
export function goodLogins(settings: AuthSettings): readonly Login[] {
  return settings.authLogins.length ? settings.authLogins.map(splitLogin) : USERS;
}

/** The users file's text: one line per user, in the variant's line template. */
export function usersFile(settings: AuthSettings, users = USERS): string {
  return users.map((u) => `${render(settings.authUsersLine, u)}\n`).join('');
}

/** Parses the users file's lines (course: `username,password`, the first comma separates). */
export function parseUsers(text: string, lineTemplate: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = match(lineTemplate, line);
    if (m && m.user) out.set(m.user, m.password);
  }
  return out;
}
