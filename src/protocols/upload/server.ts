// Reference upload server. Bytes stream to disk (a GiB costs no memory) without blocking the
// event loop: writes go through a file stream, and the socket is paused while the disk is
// behind. Each file is written under a temporary name and renamed only when complete (a
// cut-short upload never looks complete), and the server closes only once it is in place.
// Framed file names are reduced to their last component, so no name can write outside files/.
import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import type { RunningServer, ServerConfig } from '../types';
import type { UploadSettings } from './settings';
import { isJsonTemplate } from '../template';
import { finish, serveTcp } from '../kit/serve';
import { FrameStreamDecoder, HEADER_BYTES, INT32_MAX } from '../wire/framing';
import { FILES_DIR, LESSON_FILE, MAX_CONTROL_FRAME, MAX_UPLOAD, parseHeader, parseTypeFrame, safeBasename } from './codec';

let tmpCounter = 0;

/** Bytes a file may have waiting for the disk before the reader pauses, and when it resumes. */
const DISK_HIGH = 8 << 20;
const DISK_LOW = 2 << 20;

/**
 * A file being written: bytes go to a hidden temporary name until commit(). The disk is kept
 * busy: the reader pauses above DISK_HIGH waiting bytes and resumes below DISK_LOW (waiting
 * for a full drain would leave the disk idle while the socket refills).
 */
class PendingFile {
  private readonly out: WriteStream;
  private readonly tmp: string;
  private settled = false;
  private waiting: (() => void)[] = [];
  constructor(private readonly finalPath: string) {
    this.tmp = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${tmpCounter++}.part`);
    this.out = createWriteStream(this.tmp, { highWaterMark: DISK_HIGH });
    this.out.on('error', () => undefined); // seen by commit(); a sandbox removed under us is no crash
    this.out.on('close', () => this.wake());
  }
  write(chunk: Buffer): void {
    this.out.write(chunk, () => {
      if (this.out.writableLength <= DISK_LOW) this.wake();
    });
  }
  /** The disk is behind: the reader should pause until caughtUp(). */
  get behind(): boolean {
    return this.out.writableLength > DISK_HIGH;
  }
  caughtUp(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
  /** Flushes and renames into place; resolves either way (a failed file is removed). */
  commit(): Promise<void> {
    this.settled = true;
    return new Promise((resolve) =>
      this.out.end((err?: Error | null) => {
        try {
          if (err) throw err;
          renameSync(this.tmp, this.finalPath);
        } catch {
          rmSync(this.tmp, { force: true });
        }
        resolve();
      }),
    );
  }
  abort(): void {
    if (this.settled) return;
    this.settled = true;
    this.out.once('close', () => rmSync(this.tmp, { force: true }));
    this.out.destroy();
  }
}

/** Stops reading from `sock` until `p` settles (backpressure from the disk). */
function holdUntil(sock: net.Socket, p: Promise<unknown>): void {
  sock.pause();
  void p.then(() => sock.resume());
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
function readVariantHeader(d: Buffer, s: UploadSettings): { length: number; size: number; name: string } | null {
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
  }
  get complete(): boolean {
    return this.remaining === 0;
  }
  /** Writes what of `chunk` belongs to the body (the rest is ignored), pausing `sock` while the disk is behind. */
  push(chunk: Buffer, sock: net.Socket): void {
    const take = chunk.subarray(0, this.remaining);
    this.remaining -= take.length;
    if (take.length) this.file.write(take);
    if (this.file.behind && !this.complete) holdUntil(sock, this.file.caughtUp());
  }
  commit(): Promise<void> {
    return this.file.commit();
  }
  abort(): void {
    this.file.abort();
  }
}

/**
 * Feeds `chunk` to the body; once it is complete, closes the connection after the file is in
 * place. True once complete.
 */
function feed(body: Body, chunk: Buffer, sock: net.Socket, close: () => void): boolean {
  body.push(chunk, sock);
  if (!body.complete) return false;
  sock.removeAllListeners('data');
  void body.commit().then(close);
  return true;
}

function lessonConnection(sock: net.Socket, dir: string, settings: UploadSettings): void {
  let body: Body | undefined;
  const done = () => {
    sock.removeAllListeners('end');
    finish(sock);
  };
  sock.on('data', (d: Buffer) => {
    try {
      if (body) return void feed(body, d, sock, done);
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
      feed(body, d.subarray(i), sock, done);
    } catch {
      body?.abort();
      done();
    }
  });
  sock.on('end', () => {
    if (body?.complete) return; // closes once the file is in place
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
  // Files are renamed into place one after another, in the order they came (the last of a name wins).
  let stored = Promise.resolve();
  let closed = false;
  const stop = () => {
    closed = true;
    file?.abort();
    file = undefined;
    void stored.then(() => finish(sock));
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
        const done = file!;
        stored = stored.then(() => done.commit());
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
      if (file?.behind) holdUntil(sock, file.caughtUp());
    } catch {
      stop();
    }
  });
  sock.on('end', stop);
  sock.on('close', () => file?.abort());
}

/** The framed "json-header" form: one header frame, then exactly `size` raw bytes, one file. */
function jsonHeaderConnection(sock: net.Socket, dir: string, settings: UploadSettings): void {
  let head = Buffer.alloc(0);
  let body: Body | undefined;
  const stop = () => {
    body?.abort();
    sock.removeAllListeners('data');
    finish(sock);
  };
  sock.on('data', (d: Buffer) => {
    try {
      if (body) return void feed(body, d, sock, stop);
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
      feed(body, head.subarray(HEADER_BYTES + length), sock, stop);
    } catch {
      stop();
    }
  });
  sock.on('end', () => {
    if (!body?.complete) stop(); // a complete body closes once the file is in place
  });
  sock.on('close', () => body?.abort());
}

export function startUploadServer(cfg: ServerConfig<UploadSettings>): Promise<RunningServer> {
  return serveTcp((sock) => {
    if (cfg.profile === 'lesson') return lessonConnection(sock, cfg.dir, cfg.settings);
    return cfg.settings.uploadFramed === 'json-header' ? jsonHeaderConnection(sock, cfg.dir, cfg.settings) : framedConnection(sock, cfg.dir);
  });
}
