// The lesson-faithful variants are written the way the course writes Python: a blocking
// accept loop, recv(1024) taken as one message, sendall, close. This module gives them those
// semantics on Node sockets, and makes an uncaught exception behave like a dying process:
// the listener and every connection go down at once.
import net from 'node:net';
import type { RunningServer, ServerState } from '../types';
import { decodeStrict, describeDecodeError } from '../../harness/text';

/** An exception the Python code would raise; its text becomes the traceback's last line. */
export class PyError extends Error {}

const HIGH_WATER = 256 * 1024;
/** recv() calls that return b'' in a row before a loop counts as spinning on EOF. */
const EOF_SPIN_READS = 3;

export class PyConn {
  private buf: Buffer[] = [];
  private bufLen = 0;
  private eof = false;
  private resetSeen = false;
  private eofReads = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly sock: net.Socket,
    private readonly state: ServerState,
  ) {
    sock.on('data', (d: Buffer) => {
      this.buf.push(d);
      this.bufLen += d.length;
      if (this.bufLen > HIGH_WATER) sock.pause();
      this.wake?.();
    });
    sock.on('end', () => {
      this.eof = true;
      this.wake?.();
    });
    sock.on('error', () => {
      this.resetSeen = true;
      this.wake?.();
    });
    sock.on('close', () => {
      this.eof = true;
      this.wake?.();
    });
    sock.resume();
  }

  get unread(): number {
    return this.bufLen;
  }

  /** socket.recv(n): up to n bytes, b'' at end of stream, ConnectionResetError after an RST. */
  async recv(n: number): Promise<Buffer> {
    if (n < 0) throw new PyError('ValueError: negative buffersize in recv');
    while (this.bufLen === 0 && !this.eof && !this.resetSeen) {
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
    if (this.bufLen > 0) {
      this.eofReads = 0;
      const all = this.buf.length === 1 ? this.buf[0] : Buffer.concat(this.buf);
      const out = all.subarray(0, n);
      const rest = all.subarray(n);
      this.buf = rest.length ? [rest] : [];
      this.bufLen = rest.length;
      if (this.bufLen < HIGH_WATER) this.sock.resume();
      return out;
    }
    if (this.resetSeen) throw new PyError('ConnectionResetError: [Errno 104] Connection reset by peer');
    if (++this.eofReads >= EOF_SPIN_READS) {
      // `while True: data = conn.recv(1024)` after EOF: Python would burn a CPU here forever.
      this.state.spinning = true;
      await new Promise<never>(() => undefined);
    }
    return Buffer.alloc(0);
  }

  /** socket.sendall(data). */
  async sendall(data: Buffer | string): Promise<void> {
    if (this.sock.destroyed || this.resetSeen) throw new PyError('BrokenPipeError: [Errno 32] Broken pipe');
    await new Promise<void>((resolve, reject) => {
      this.sock.write(data, (err) => (err ? reject(new PyError('BrokenPipeError: [Errno 32] Broken pipe')) : resolve()));
    });
  }

  /** socket.close(): unread bytes make the kernel answer with an RST instead of a FIN. */
  close(): void {
    if (this.sock.destroyed) return;
    if (this.bufLen > 0) this.sock.resetAndDestroy();
    else this.sock.destroySoon();
  }
}

export interface PyListener {
  /** sock.accept(): the next waiting client, one at a time like the course's loop. */
  accept(): Promise<PyConn>;
}

/**
 * Runs `main` like a Python script's top level. If it throws, the "process" dies: traceback
 * recorded, listener closed, connections closed (RST where data was unread). If it returns,
 * the process exited cleanly (the single-shot upload server).
 */
export async function runPythonStyle(file: string, main: (listener: PyListener) => Promise<void>): Promise<RunningServer> {
  const state: ServerState = {};
  const pending: net.Socket[] = [];
  const conns = new Set<PyConn>();
  let notify: (() => void) | undefined;
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => {
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    pending.push(sock);
    notify?.();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  let dead = false;
  const die = () => {
    if (dead) return;
    dead = true;
    server.close();
    for (const s of pending.splice(0)) s.resetAndDestroy();
    for (const c of conns) c.close();
  };
  const listener: PyListener = {
    async accept() {
      while (pending.length === 0) await new Promise<void>((r) => (notify = r));
      notify = undefined;
      const conn = new PyConn(pending.shift()!, state);
      conns.add(conn);
      conn.sock.on('close', () => conns.delete(conn));
      return conn;
    },
  };
  main(listener).then(
    () => {
      state.exited = true;
      die();
    },
    (e: unknown) => {
      const last = e instanceof PyError ? e.message : `RuntimeError: ${String(e)}`;
      state.crashed = `Traceback (most recent call last):\n  File "${file}", in <module>\n${last}`;
      die();
    },
  );
  return {
    port: (server.address() as net.AddressInfo).port,
    state,
    close: async () => {
      die();
    },
  };
}

/** struct.unpack('i', header) as Python does it: exactly 4 bytes or struct.error. */
export function unpackInt32(header: Buffer): number {
  if (header.length !== 4) throw new PyError('struct.error: unpack requires a buffer of 4 bytes');
  return header.readInt32LE(0);
}

/** `print(data.decode('utf-8'))`: raises on bytes that are not UTF-8. */
export function pyDecode(data: Buffer): string {
  try {
    return decodeStrict(data);
  } catch {
    throw new PyError(describeDecodeError(data));
  }
}
