// upload (文件上传) on the wire. lesson: the size in ASCII digits (no terminator), a pause, then
// exactly that many bytes; no reply. framed (day 21): a type frame {"msg_type": "msg"} + a text
// frame, or {"msg_type": "file", "file_name": NAME} + a file frame; a `close` frame ends it.
import { encodeFrame, frameHeader } from '../wire/framing';
import { match, render } from '../template';
import { uploadDefaults, type UploadSettings } from './settings';

/** The course's file name for the lesson upload. */
export const LESSON_FILE = 'xxx.png';
/** The folder framed uploads are stored in. */
export const FILES_DIR = 'files';
/** The largest lesson upload the reference server accepts. */
export const MAX_UPLOAD = 16 * 1024 ** 3;
/** The largest type (JSON) or text frame. */
export const MAX_CONTROL_FRAME = 64 * 1024;
export const CLOSE = 'close';

/** The name a client announces when the test does not care (headers with {name}). */
export const UPLOAD_NAME = 'upload.bin';

/** The header of an upload in the variant's form (the course: the size in decimal digits). */
export function sizeHeader(size: number | string, settings: UploadSettings = uploadDefaults, name = UPLOAD_NAME): Buffer {
  return Buffer.from(render(settings.uploadHeader, { size, name }));
}

/** A framed "json-header" upload: the header as one frame, then exactly the raw body. */
export function encodeJsonHeaderUpload(settings: UploadSettings, name: string, data: Buffer): Buffer {
  return Buffer.concat([jsonHeaderFrame(settings, data.length, name), data]);
}

/** The header frame of a framed "json-header" upload (the raw body follows it). */
export function jsonHeaderFrame(settings: UploadSettings, size: number, name: string): Buffer {
  return encodeFrame(sizeHeader(size, settings, name));
}

/** A header as a server reads it: the size and the name, or null when it does not fit the form. */
export function parseHeader(settings: UploadSettings, text: string): { size: number; name: string | null } | null {
  const m = match(settings.uploadHeader, text);
  if (!m || !/^\d{1,20}$/.test(m.size.trim())) return null;
  return { size: Number(m.size.trim()), name: m.name ?? null };
}

export type Item = { kind: 'msg'; text: string } | { kind: 'file'; name: string; data: Buffer };

export function encodeItem(item: Item): Buffer {
  if (item.kind === 'msg') return Buffer.concat([encodeFrame(JSON.stringify({ msg_type: 'msg' })), encodeFrame(item.text)]);
  return Buffer.concat([fileItemHead(item.name, item.data.length), item.data]);
}

/** A file item up to its bytes: the type frame, then the file frame's length header. */
export function fileItemHead(name: string, size: number): Buffer {
  return Buffer.concat([encodeFrame(JSON.stringify({ msg_type: 'file', file_name: name })), frameHeader(size)]);
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
