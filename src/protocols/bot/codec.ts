// bot (智障客服) on the wire. lesson: the welcome on connect, then one reply per message;
// replies carry no boundaries, so they are matched by bytes against what is expected.
// framed: every message is a frame. The strings come from the settings (course defaults).
import { countFixed } from '../wire/reply-streams';
import { FrameDecoder, onTheWire, wireStream } from '../wire/framing';
import type { Profile } from '../types';
import { botDefaults, type BotSettings } from './settings';

export const WELCOME = botDefaults.botWelcome!;
export const REPLY = botDefaults.botReply;
export const READ_SIZE = 1024;
/** The largest message frame the reference server accepts. */
export const MAX_MESSAGE = 1 << 20;
export const MESSAGE_PLACEHOLDER = '{message}';

export function encodeMessage(profile: Profile, message: Buffer): Buffer {
  return onTheWire(profile, message);
}

/** Messages as they go on the wire one after the other, with what faults need to know of them. */
export function messageStream(profile: Profile, messages: readonly Buffer[]) {
  return wireStream(profile, messages);
}

export function welcomeBytes(profile: Profile, settings: BotSettings = botDefaults): Buffer {
  if (settings.botWelcome === null) return Buffer.alloc(0);
  return onTheWire(profile, settings.botWelcome);
}

export const isTemplate = (settings: BotSettings) => settings.botReply.includes(MESSAGE_PLACEHOLDER);

/** `--reply any`: a bot whose reply cannot be predicted (say `.upper()`): any non-empty reply per message. */
export const ANY_REPLY = 'any';
export const anyReply = (settings: BotSettings) => settings.botReply === ANY_REPLY;

/** The reply text to one message (the template filled in with the message as text). */
export function replyText(settings: BotSettings, message: Buffer): string {
  return settings.botReply.split(MESSAGE_PLACEHOLDER).join(message.toString('utf8'));
}

export function replyBytes(profile: Profile, settings: BotSettings = botDefaults, message: Buffer = Buffer.alloc(0)): Buffer {
  const text = replyText(settings, message);
  return onTheWire(profile, text);
}

export interface BotReplies {
  /** Everything received so far is what a correct server could have sent. */
  ok: boolean;
  welcome: boolean;
  replies: number;
  /** Offset of the first byte that is neither welcome nor an expected reply, or -1. */
  mismatchAt: number;
}

/**
 * Reads the server's byte stream: the welcome, then the replies (any chunking). A fixed reply
 * is counted by bytes; a templated one is matched in order against the messages sent. When
 * the messages are unknown (`null`: a message cut or garbled on purpose), a lesson stream
 * counts as one reply once any byte came after the welcome, a framed one counts frames.
 * Any reply (`--reply any`): framed counts frames; lesson counts the messages after which
 * bytes arrived before the next was sent (`marks`: the received length at each send).
 */
export function readReplies(profile: Profile, settings: BotSettings, received: Buffer, messages: readonly Buffer[] | null = [], marks: readonly number[] = []): BotReplies {
  const welcome = welcomeBytes(profile, settings);
  const head = received.subarray(0, welcome.length);
  if (!welcome.subarray(0, head.length).equals(head)) {
    let i = 0;
    while (welcome[i] === head[i]) i++;
    return { ok: false, welcome: false, replies: 0, mismatchAt: i };
  }
  if (received.length < welcome.length) return { ok: true, welcome: false, replies: 0, mismatchAt: -1 };
  const rest = received.subarray(welcome.length);
  if (!isTemplate(settings) && !anyReply(settings)) {
    const c = countFixed(received, welcome, replyBytes(profile, settings));
    return { ok: c.mismatchAt < 0, welcome: true, replies: c.count, mismatchAt: c.mismatchAt };
  }
  if (anyReply(settings) && profile === 'lesson' && messages !== null && marks.length) {
    const replies = marks.filter((m, i) => (marks[i + 1] ?? received.length) > Math.max(m, welcome.length)).length;
    return { ok: true, welcome: true, replies, mismatchAt: -1 };
  }
  if (messages === null || anyReply(settings)) {
    if (profile === 'lesson') return { ok: true, welcome: true, replies: rest.length > 0 ? 1 : 0, mismatchAt: -1 };
    try {
      return { ok: true, welcome: true, replies: new FrameDecoder(MAX_MESSAGE).push(rest).length, mismatchAt: -1 };
    } catch {
      return { ok: false, welcome: true, replies: 0, mismatchAt: welcome.length };
    }
  }
  let off = 0;
  let replies = 0;
  for (const m of messages) {
    const want = replyBytes(profile, settings, m);
    const got = rest.subarray(off, off + want.length);
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) return { ok: false, welcome: true, replies, mismatchAt: welcome.length + off + i };
    if (got.length < want.length) return { ok: true, welcome: true, replies, mismatchAt: -1 };
    replies++;
    off += want.length;
  }
  const extra = off < rest.length ? welcome.length + off : -1;
  return { ok: extra < 0, welcome: true, replies, mismatchAt: extra };
}

/** Decodes frames (for the reference client). */
export function decodeFrames(received: Buffer): Buffer[] {
  return new FrameDecoder(MAX_MESSAGE).push(received);
}
