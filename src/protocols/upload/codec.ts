// upload (文件上传) on the wire. lesson: the size in ASCII digits (no terminator), a pause, then
// exactly that many bytes; no reply. framed (day 21): a type frame {"msg_type": "msg"} + a text
// frame, or {"msg_type": "file", "file_name": NAME} + a file frame; a `close` frame ends it.
import { streamOf, type Part } from '../../harness/faults';
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
  return jsonHeaderStream(settings, name, data).bytes;
}

/** A lesson upload's body on the wire (raw bytes), for faults. */
export function bodyStream(payload: Buffer) {
  return streamOf([{ bytes: payload, kind: 'binary', starts: true }]);
}

/** A lesson upload in one stream: the size header, then the body (two messages: a coalesce joins them). */
export function lessonStream(settings: UploadSettings, payload: Buffer, name = UPLOAD_NAME) {
  return streamOf([
    { bytes: sizeHeader(payload.length, settings, name), kind: 'text', starts: true },
    { bytes: payload, kind: 'binary', starts: true },
  ]);
}

/** A framed "json-header" upload, with what faults need to know of it: the header frame, then the raw body. */
export function jsonHeaderStream(settings: UploadSettings, name: string, data: Buffer) {
  const header = sizeHeader(data.length, settings, name);
  return streamOf([
    { bytes: frameHeader(header.length), kind: 'header', starts: true },
    { bytes: header, kind: 'text' },
    { bytes: data, kind: 'binary', starts: true },
  ]);
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
  return streamOf(itemParts(item)).bytes;
}

/** A frame as parts: its length header, then its payload. */
function frameParts(payload: Buffer | string, kind: 'text' | 'binary', starts: boolean): Part[] {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return [
    { bytes: frameHeader(bytes.length), kind: 'header', starts },
    { bytes, kind },
  ];
}

/** An item as parts: the type frame (where the item begins), then the text or file frame. */
function itemParts(item: Item): Part[] {
  if (item.kind === 'msg') return [...frameParts(JSON.stringify({ msg_type: 'msg' }), 'text', true), ...frameParts(item.text, 'text', false)];
  return [...frameParts(JSON.stringify({ msg_type: 'file', file_name: item.name }), 'text', true), ...frameParts(item.data, 'binary', false)];
}

/** A file item up to its bytes: the type frame, then the file frame's length header. */
export function fileItemHead(name: string, size: number): Buffer {
  return Buffer.concat([encodeFrame(JSON.stringify({ msg_type: 'file', file_name: name })), frameHeader(size)]);
}

export function encodeSession(items: readonly Item[]): Buffer {
  return sessionStream(items).bytes;
}

/**
 * A framed session on the wire, with what faults need to know of it: every frame's header,
 * the texts, where each item (and the close frame) begins.
 */
export function sessionStream(items: readonly Item[]) {
  return streamOf([...items.flatMap(itemParts), ...frameParts(CLOSE, 'text', true)]);
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
