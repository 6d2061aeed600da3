// Reference upload server. Bytes stream to disk (a GiB costs no memory), into a temporary file
// renamed only when complete: a cut-short upload never looks complete. Framed file names are
// reduced to their last component, so no name can write outside files/.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import type { RunningServer, ServerConfig, Settings } from '../types';
import { isJsonTemplate } from '../template';
import { finish, serveTcp } from '../kit/serve';
import { FrameStreamDecoder, HEADER_BYTES, INT32_MAX } from '../wire/framing';
import { FILES_DIR, LESSON_FILE, MAX_CONTROL_FRAME, MAX_UPLOAD, parseHeader, parseTypeFrame, safeBasename } from './codec';

let tmpCounter = 0;

/** A file being written: bytes go to a hidden temporary name until commit(). */
class PendingFile {
  private fd: number;
  private readonly tmp: string;
  private settled = false;
  constructor(private readonly finalPath: string) {
    this.tmp = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${tmpCounter++}.part`);
    this.fd = openSync(this.tmp, 'w');
  }
  write(chunk: Buffer): void {
    writeSync(this.fd, chunk);
  }
  commit(): void {
    this.settled = true;
    closeSync(this.fd);
    renameSync(this.tmp, this.finalPath);
  }
  abort(): void {
    if (this.settled) return;
    this.settled = true;
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}

/** The length of the JSON object at the start of `b` (strings and nesting respected), or -1. */
function jsonObjectLength(b: Buffer): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Reads a variant's header from the first read: how long it is, the size, and the file name
 * (a JSON header ends with its object; a text header is the whole read). Null: not a header.
 */
function readVariantHeader(d: Buffer, s: Settings): { length: number; size: number; name: string } | null {
  const length = isJsonTemplate(s.uploadHeader) ? jsonObjectLength(d) : d.length;
  if (length < 0) return null;
  const h = parseHeader(s, d.subarray(0, length).toString('utf8'));
  if (!h || !Number.isSafeInteger(h.size) || h.size > MAX_UPLOAD) return null;
  return { length, size: h.size, name: (h.name !== null && safeBasename(h.name)) || LESSON_FILE };
}

/** The body of one upload: exactly `size` bytes into a pending file, committed once complete. */
class Body {
  private remaining: number;
  constructor(private readonly file: PendingFile, size: number) {
    this.remaining = size;
    if (size === 0) file.commit();
  }
  get complete(): boolean {
    return this.remaining === 0;
  }
  /** Writes what of `chunk` belongs to the body (the rest is ignored); true once complete. */
  push(chunk: Buffer): boolean {
    const take = chunk.subarray(0, this.remaining);
    if (take.length) this.file.write(take);
    this.remaining -= take.length;
    if (this.remaining === 0) this.file.commit();
    return this.complete;
  }
  abort(): void {
    this.file.abort();
  }
}

function lessonConnection(sock: net.Socket, dir: string, settings: Settings): void {
  let body: Body | undefined;
  const done = () => {
    sock.removeAllListeners('end');
    finish(sock);
  };
  sock.on('data', (d: Buffer) => {
    try {
      if (body) return void (body.push(d) && done());
      // The first read is the header. The course's: its leading digits (a body coalesced behind
      // them is body). A variant's: as readVariantHeader finds it, then the acknowledgement.
      let i = 0;
      let size: number;
      let name = LESSON_FILE;
      if (settings.uploadHeader === '{size}') {
        while (i < d.length && i < 20 && d[i] >= 0x30 && d[i] <= 0x39) i++;
        size = i > 0 ? Number(d.subarray(0, i).toString('latin1')) : NaN;
        if (!Number.isSafeInteger(size) || size > MAX_UPLOAD) return done();
      } else {
        const h = readVariantHeader(d, settings);
        if (!h) return done();
        [i, size, name] = [h.length, h.size, h.name];
      }
      if (settings.uploadAck !== null) sock.write(settings.uploadAck);
      body = new Body(new PendingFile(path.join(dir, name)), size);
      if (body.complete || body.push(d.subarray(i))) done();
    } catch {
      body?.abort();
      done();
    }
  });
  sock.on('end', () => {
    body?.abort();
    finish(sock);
  });
  sock.on('close', () => body?.abort());
}

function framedConnection(sock: net.Socket, dir: string): void {
  const filesDir = path.join(dir, FILES_DIR);
  mkdirSync(filesDir, { recursive: true });
  // What the next frame is: a type frame, a text frame (ignored) or a file frame (stored).
  let next: 'type' | 'text' | { file: string } = 'type';
  let control: Buffer[] = [];
  let file: PendingFile | undefined;
  let closed = false;
  const stop = () => {
    closed = true;
    file?.abort();
    file = undefined;
    finish(sock);
  };
  const decoder = new FrameStreamDecoder(INT32_MAX, {
    onHeader: (length) => {
      if (typeof next === 'object') file = new PendingFile(path.join(filesDir, next.file));
      else if (length > MAX_CONTROL_FRAME) throw new Error('control frame too large');
    },
    onBody: (chunk) => {
      if (file) file.write(chunk);
      else if (next !== 'text') control.push(chunk);
    },
    onEnd: () => {
      if (typeof next === 'object') {
        file!.commit();
        file = undefined;
        next = 'type';
        return;
      }
      if (next === 'text') {
        next = 'type';
        return;
      }
      const t = parseTypeFrame(Buffer.concat(control));
      control = [];
      if (t === 'close' || t === null) throw new Error(t === null ? 'bad type frame' : 'close');
      if (t.msg_type === 'msg') next = 'text';
      else {
        const base = safeBasename(t.file_name);
        if (!base) throw new Error('bad file name');
        next = { file: base };
      }
    },
  });
  sock.on('data', (d: Buffer) => {
    if (closed) return;
    try {
      decoder.push(d);
    } catch {
      stop();
    }
  });
  sock.on('end', stop);
  sock.on('close', () => file?.abort());
}

/** The framed "json-header" form: one header frame, then exactly `size` raw bytes, one file. */
function jsonHeaderConnection(sock: net.Socket, dir: string, settings: Settings): void {
  let head = Buffer.alloc(0);
  let body: Body | undefined;
  const stop = () => {
    body?.abort();
    sock.removeAllListeners('data');
    finish(sock);
  };
  sock.on('data', (d: Buffer) => {
    try {
      if (body) return void (body.push(d) && stop());
      head = Buffer.concat([head, d]);
      if (head.length < HEADER_BYTES) return;
      const length = head.readInt32LE(0);
      if (length < 0 || length > MAX_CONTROL_FRAME) return stop();
      if (head.length < HEADER_BYTES + length) return;
      const h = parseHeader(settings, head.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8'));
      const name = h?.name !== null && h?.name !== undefined ? safeBasename(h.name) : LESSON_FILE;
      if (!h || !name || h.size > MAX_UPLOAD) return stop();
      if (settings.uploadAck !== null) sock.write(settings.uploadAck);
      body = new Body(new PendingFile(path.join(dir, name)), h.size);
      if (body.complete || body.push(head.subarray(HEADER_BYTES + length))) stop();
    } catch {
      stop();
    }
  });
  sock.on('end', stop);
  sock.on('close', () => body?.abort());
}

export function startUploadServer(cfg: ServerConfig): Promise<RunningServer> {
  return serveTcp((sock) => {
    if (cfg.profile === 'lesson') return lessonConnection(sock, cfg.dir, cfg.settings);
    return cfg.settings.uploadFramed === 'json-header' ? jsonHeaderConnection(sock, cfg.dir, cfg.settings) : framedConnection(sock, cfg.dir);
  });
}
