// auth (远程用户认证) on the wire. lesson: the greeting, then per attempt `user|password` and one
// JSON reply {"status": bool, "msg": text}; replies are parsed as a stream of JSON objects
// (never one read = one reply). framed: every message is a frame, replies are JSON frames.
import { CodecError } from '../../harness/errors';
import { encodeFrame, FrameDecoder } from '../wire/framing';
import { JsonObjectStream } from '../wire/reply-streams';
import type { Profile } from '../types';

export const GREETING = '欢迎使用xx系统';
export const USERS_FILE = 'db.csv';
export const MAX_REQUEST = 64 * 1024;

export interface AuthReply {
  status: boolean;
  msg: unknown;
}

export function encodeLogin(profile: Profile, user: string, password: string): Buffer {
  return encodeRequest(profile, Buffer.from(`${user}|${password}`));
}

export function encodeRequest(profile: Profile, bytes: Buffer): Buffer {
  return profile === 'framed' ? encodeFrame(bytes) : bytes;
}

export function greetingBytes(profile: Profile): Buffer {
  return profile === 'framed' ? encodeFrame(GREETING) : Buffer.from(GREETING);
}

/** JSON the way Python's json.dumps writes it: non-ASCII as \uXXXX escapes. */
export function dumps(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function encodeReply(profile: Profile, reply: AuthReply): Buffer {
  const json = Buffer.from(dumps(reply));
  return profile === 'framed' ? encodeFrame(json) : json;
}

export interface AuthStream {
  greeting: boolean;
  replies: AuthReply[];
  /** Why the bytes are not what an auth server may send, if they are not. */
  error?: string;
}

function asReply(v: unknown): AuthReply | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'a reply is not a JSON object';
  const status = (v as { status?: unknown }).status;
  if (typeof status !== 'boolean') return 'a reply has no boolean "status"';
  return { status, msg: (v as { msg?: unknown }).msg };
}

/** Reads everything an auth server sent so far: greeting, then parsed replies. */
export function readAuth(profile: Profile, received: Buffer): AuthStream {
  const greeting = greetingBytes(profile);
  const head = received.subarray(0, greeting.length);
  if (!greeting.subarray(0, head.length).equals(head)) return { greeting: false, replies: [], error: 'the greeting is wrong' };
  if (received.length < greeting.length) return { greeting: false, replies: [] };
  const rest = received.subarray(greeting.length);
  const replies: AuthReply[] = [];
  try {
    const values = profile === 'framed' ? new FrameDecoder(MAX_REQUEST).push(rest).map((f) => JSON.parse(f.toString('utf8')) as unknown) : new JsonObjectStream().push(rest);
    for (const v of values) {
      const r = asReply(v);
      if (typeof r === 'string') return { greeting: true, replies, error: r };
      replies.push(r);
    }
  } catch (e) {
    return { greeting: true, replies, error: e instanceof CodecError || e instanceof SyntaxError ? `a reply is not JSON: ${e.message}` : String(e) };
  }
  return { greeting: true, replies };
}

/** The users the harness writes to db.csv (non-ASCII names included). */
export const USERS: readonly { user: string; password: string }[] = [
  { user: 'alice', password: 'wonderland' },
  { user: '张三', password: '密码123' },
  { user: 'bob', password: 'b0b-secret' },
  { user: '李四', password: 'lisi' },
  { user: 'zoë', password: 'ünïcødé' },
];

export function usersCsv(users = USERS): string {
  return users.map((u) => `${u.user},${u.password}\n`).join('');
}

/** Parses db.csv lines `username,password` (the first comma separates). */
export function parseUsers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(',');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}
