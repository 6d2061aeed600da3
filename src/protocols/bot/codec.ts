// bot (智障客服) on the wire. lesson: the welcome on connect, then one fixed reply per message;
// replies carry no boundaries, so they are counted by bytes. framed: every message is a frame.
import { countFixed } from '../wire/reply-streams';
import { encodeFrame, FrameDecoder } from '../wire/framing';
import type { Profile } from '../types';

export const WELCOME = '欢迎使用xx系统，请输入您想要办理的业务！';
export const REPLY = '你说啥？';
export const READ_SIZE = 1024;
/** The largest message frame the reference server accepts. */
export const MAX_MESSAGE = 1 << 20;

export function encodeMessage(profile: Profile, message: Buffer): Buffer {
  return profile === 'framed' ? encodeFrame(message) : message;
}

export function welcomeBytes(profile: Profile): Buffer {
  return profile === 'framed' ? encodeFrame(WELCOME) : Buffer.from(WELCOME);
}

export function replyBytes(profile: Profile): Buffer {
  return profile === 'framed' ? encodeFrame(REPLY) : Buffer.from(REPLY);
}

export interface BotReplies {
  /** Everything received so far is what a correct server could have sent. */
  ok: boolean;
  welcome: boolean;
  replies: number;
  /** Offset of the first byte that is neither welcome nor reply, or -1. */
  mismatchAt: number;
}

/** Reads the server's byte stream: welcome, then replies (any chunking; framed replies are fixed frames). */
export function readReplies(profile: Profile, received: Buffer): BotReplies {
  const welcome = welcomeBytes(profile);
  const c = countFixed(received, welcome, replyBytes(profile));
  return { ok: c.mismatchAt < 0, welcome: c.prefixOk && received.length >= welcome.length, replies: c.count, mismatchAt: c.mismatchAt };
}

/** Decodes frames (for the reference client). */
export function decodeFrames(received: Buffer): Buffer[] {
  return new FrameDecoder(MAX_MESSAGE).push(received);
}
