// upload (文件上传) on the wire. lesson: the size in ASCII digits (no terminator), a pause, then
// exactly that many bytes; no reply. framed (day 21): a type frame {"msg_type": "msg"} + a text
// frame, or {"msg_type": "file", "file_name": NAME} + a file frame; a `close` frame ends it.
import { encodeFrame } from '../wire/framing';

/** The course's file name for the lesson upload. */
export const LESSON_FILE = 'xxx.png';
/** The folder framed uploads are stored in. */
export const FILES_DIR = 'files';
/** The largest lesson upload the reference server accepts. */
export const MAX_UPLOAD = 16 * 1024 ** 3;
/** The largest type (JSON) or text frame. */
export const MAX_CONTROL_FRAME = 64 * 1024;
export const CLOSE = 'close';

export function sizeHeader(size: number): Buffer {
  return Buffer.from(String(size), 'latin1');
}

export type Item = { kind: 'msg'; text: string } | { kind: 'file'; name: string; data: Buffer };

export function encodeItem(item: Item): Buffer {
  if (item.kind === 'msg') return Buffer.concat([encodeFrame(JSON.stringify({ msg_type: 'msg' })), encodeFrame(item.text)]);
  return Buffer.concat([encodeFrame(JSON.stringify({ msg_type: 'file', file_name: item.name })), encodeFrame(item.data)]);
}

export function encodeSession(items: readonly Item[]): Buffer {
  return Buffer.concat([...items.map(encodeItem), encodeFrame(CLOSE)]);
}

/** The name a server must store a file under: the last path component, either separator. */
export function safeBasename(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  if (base === '' || base === '.' || base === '..' || base.includes('\0')) return null;
  return base;
}

export type TypeFrame = { msg_type: 'msg' } | { msg_type: 'file'; file_name: string } | 'close';

/** Parses a type frame; null when it is neither `close` nor the JSON the protocol defines. */
export function parseTypeFrame(payload: Buffer): TypeFrame | null {
  const text = payload.toString('utf8');
  if (text === CLOSE) return 'close';
  try {
    const v = JSON.parse(text) as { msg_type?: unknown; file_name?: unknown };
    if (v && v.msg_type === 'msg') return { msg_type: 'msg' };
    if (v && v.msg_type === 'file' && typeof v.file_name === 'string') return { msg_type: 'file', file_name: v.file_name };
  } catch {
    // not JSON
  }
  return null;
}
