// Reference upload server. Bytes stream to disk (a GiB costs no memory), into a temporary file
// renamed only when complete: a cut-short upload never looks complete. Framed file names are
// reduced to their last component, so no name can write outside files/.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import type { RunningServer, ServerConfig } from '../types';
import { finish, serveTcp } from '../kit/serve';
import { FrameStreamDecoder, INT32_MAX } from '../wire/framing';
import { FILES_DIR, LESSON_FILE, MAX_CONTROL_FRAME, MAX_UPLOAD, parseTypeFrame, safeBasename } from './codec';

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

function lessonConnection(sock: net.Socket, dir: string): void {
  let remaining = -1;
  let file: PendingFile | undefined;
  const done = () => {
    sock.removeAllListeners('end');
    finish(sock);
  };
  const body = (chunk: Buffer) => {
    const take = chunk.subarray(0, remaining);
    if (take.length) file!.write(take);
    remaining -= take.length;
    if (remaining === 0) {
      file!.commit();
      file = undefined;
      done();
    }
  };
  sock.on('data', (d: Buffer) => {
    try {
      if (remaining >= 0) return body(d);
      // The first read is the header: its leading digits (a body coalesced behind them is body).
      let i = 0;
      while (i < d.length && i < 20 && d[i] >= 0x30 && d[i] <= 0x39) i++;
      const size = i > 0 ? Number(d.subarray(0, i).toString('latin1')) : NaN;
      if (!Number.isSafeInteger(size) || size > MAX_UPLOAD) return done();
      remaining = size;
      file = new PendingFile(path.join(dir, LESSON_FILE));
      if (remaining === 0) {
        file.commit();
        file = undefined;
        return done();
      }
      if (i < d.length) body(d.subarray(i));
    } catch {
      file?.abort();
      file = undefined;
      done();
    }
  });
  sock.on('end', () => {
    file?.abort();
    file = undefined;
    finish(sock);
  });
  sock.on('close', () => file?.abort());
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

export function startUploadServer(cfg: ServerConfig): Promise<RunningServer> {
  return serveTcp((sock) => (cfg.profile === 'lesson' ? lessonConnection(sock, cfg.dir) : framedConnection(sock, cfg.dir)));
}
