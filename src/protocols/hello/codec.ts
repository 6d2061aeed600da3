// hello on the wire. lesson: any request bytes, then the fixed reply and a close.
// framed: one request frame, one reply frame, close. No sockets here.
import type { Profile } from '../types';
import type { HelloSettings } from './settings';
import { FrameDecoder, onTheWire, wireStream } from '../wire/framing';

/** The course's read size: `conn.recv(1024)`. */
export const READ_SIZE = 1024;
/** The largest request frame the reference server accepts. */
export const MAX_REQUEST = 1 << 20;

export function encodeRequest(profile: Profile, request: Buffer): Buffer {
  return onTheWire(profile, request);
}

/** The request as it goes on the wire, with what faults need to know of it. */
export function requestStream(profile: Profile, request: Buffer) {
  return wireStream(profile, [request]);
}

export function replyOf(settings: HelloSettings): Buffer {
  return settings.helloReplyHex !== undefined ? Buffer.from(settings.helloReplyHex, 'hex') : Buffer.from(settings.helloReply, 'utf8');
}

export function encodeReply(profile: Profile, settings: HelloSettings): Buffer {
  const reply = replyOf(settings);
  return onTheWire(profile, reply);
}

/** Decodes what a hello server sent: the reply text (framed: the first frame's payload). */
export function decodeReply(profile: Profile, bytes: Buffer): { reply: Buffer; complete: boolean } {
  if (profile === 'lesson') return { reply: bytes, complete: true };
  const frames = new FrameDecoder(MAX_REQUEST).push(bytes);
  return frames.length ? { reply: frames[0], complete: true } : { reply: Buffer.alloc(0), complete: false };
}

/** The course's two clients' requests. */
export const COURSE_REQUESTS = ['hello', 'GET / HTTP/1.0\r\n\r\nhello!'];
