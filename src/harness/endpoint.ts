// One end of a TCP connection driven by the harness, for either role: dialled (sockspec plays
// the client) or adopted from a listener (sockspec plays the server, or the proxy's client
// side). Paced segment writes (the kernel says when the *peer* has read a segment, from either
// side), a stream read with deadlines (never one read = one message), RST-vs-FIN at the peer's
// end, read caps, the polite close, and every byte logged to the session transcript with the
// direction the role gives it.
import net from 'node:net';
import { sockInfo, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_LISTEN } from './sockdiag';
import { isLoopback } from './proc';
import type { Direction, EventKind } from './transcript';
import type { WritePlan } from './chunk';

/** Where an endpoint logs what it sees: a session transcript, or a recording written as it goes. */
export interface EventLog {
  newConn(): number;
  /** `shared`: the bytes never change afterwards, so a log may keep them without a copy. */
  add(conn: number, dir: Direction, kind: EventKind, bytes?: Buffer, shared?: boolean): void;
}

export type Role = 'client' | 'server';

export interface EndpointOptions {
  host: string;
  port: number;
  transcript: EventLog;
  /** Which side sockspec plays (default client): decides the direction of each logged event. */
  role?: Role;
  /** The connection's number in the log (default: a new one): the proxy's two ends share one. */
  connId?: number;
  /** Log only what this end receives (the proxy: the other end logs what it forwards). */
  logReceivedOnly?: boolean;
  /** Bytes as they arrive (the proxy forwards them): then nothing is buffered and readCap only counts. */
  onData?: (bytes: Buffer) => void;
  /** The peer's end of stream once told from the kernel: a FIN, or an RST (the proxy passes it on). */
  onPeerEnd?: (reset: boolean) => void;
  /** Stop buffering replies past this many bytes (a server flooding after half-close). */
  readCap: number;
  connectTimeoutMs: number;
  /** Longest wait for the server to read a segment before the next one is sent. */
  paceTimeoutMs: number;
  /** Gap between segments when the server's reads cannot be observed (remote hosts). */
  gapMs: number;
  /**
   * The server listens on a fixed port and is restarted: leave no TIME_WAIT on its side, or a
   * server without SO_REUSEADDR (the course's) cannot bind again. After the server has closed
   * its socket for good, we answer its FIN with an RST instead of our own FIN.
   */
  freeServerPort?: boolean;
}


export class Endpoint {
  readonly id: number;
  readonly role: Role;
  /** The direction of what we send, and of what the peer sends. */
  private readonly outDir: Direction;
  private readonly inDir: Direction;
  /** Every byte the server sent, up to readCap. */
  private chunks: Buffer[] = [];
  receivedBytes = 0;
  /** Total bytes the server sent, including those beyond readCap. */
  totalReceived = 0;
  /** The peer closed its side (FIN). */
  peerEnded = false;
  wasReset = false;
  closed = false;
  errorCode: string | undefined;
  /** Waits that see progress go on until this time (the run's end); past it they stop and mark the session interrupted. */
  giveUpAt = Infinity;
  interrupted = false;
  /**
   * For a server whose CPU is measured, in the polite session: starts a watch that later says
   * how long the server has spun at full CPU since (undefined while it has not, or not long
   * enough to tell). A wait for the server's close ends when it says so (expectServerClose).
   */
  spinWatch: (() => () => number | undefined) | undefined;
  private waiters = new Set<() => void>();
  private classifying = false;
  /** An RST-or-FIN decision under way (freeServerPort): closing waits for it. */
  private releasing: Promise<void> | undefined;
  private closing = false;
  private ending = false;
  /** Our port, asked of the socket when a kernel lookup first needs it (a session that needs none saves a getsockname). */
  private ourPort: number | undefined;
  private remotePort = 0;
  private joined: Buffer | undefined;
  /**
   * Our bytes may reach a server that closes without reading them (it replies before reading):
   * its kernel then answers them with an RST, which can come just after its FIN. Set by
   * `sendAhead`: at the server's end of stream we wait for that RST (or for the bytes' ACK).
   */
  private sentAhead = false;

  private constructor(
    readonly socket: net.Socket,
    private readonly opts: EndpointOptions,
  ) {
    this.id = opts.connId ?? opts.transcript.newConn();
    this.role = opts.role ?? 'client';
    this.outDir = this.role === 'client' ? 'c2s' : 's2c';
    this.inDir = this.role === 'client' ? 's2c' : 'c2s';
  }

  /** The peer's FIN, in the words of the client role (where the peer is the server under test). */
  get serverEnded(): boolean {
    return this.peerEnded;
  }

  /**
   * Adopts a socket a listener accepted (created with allowHalfOpen): sockspec plays the
   * server on it. The peer's connect is logged now.
   */
  static adopt(socket: net.Socket, opts: Omit<EndpointOptions, 'host' | 'port' | 'connectTimeoutMs'>): Endpoint {
    socket.setNoDelay(true);
    const ep = new Endpoint(socket, { connectTimeoutMs: 0, ...opts, host: socket.remoteAddress ?? '127.0.0.1', port: socket.remotePort ?? 0, role: opts.role ?? 'server' });
    ep.log('c2s', 'connect');
    ep.attach();
    return ep;
  }

  /** Dials host:port: sockspec plays the client. */
  static open(opts: EndpointOptions): Promise<Endpoint> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: opts.host, port: opts.port, noDelay: true, allowHalfOpen: true });
      const conn = new Endpoint(socket, opts);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`connect to ${opts.host}:${opts.port} timed out`), { code: 'ETIMEDOUT' }));
      }, opts.connectTimeoutMs);
      let connected = false;
      socket.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        conn.log('c2s', 'connect');
        conn.attach();
        resolve(conn);
      });
      socket.once('error', (e) => {
        if (connected) return; // attach() handles errors after the handshake
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Our port; 0 once the socket is gone without a lookup having asked (every lookup checks for that first). */
  private get localPort(): number {
    if (this.ourPort === undefined && !this.socket.destroyed) this.ourPort = this.socket.localPort ?? 0;
    return this.ourPort ?? 0;
  }

  /** Logs an event; `dir` is the wire direction (client to server or back). */
  private log(dir: Direction, kind: EventKind, bytes?: Buffer, shared = false): void {
    if (this.opts.logReceivedOnly && dir === this.outDir) return;
    this.opts.transcript.add(this.id, dir, kind, bytes, shared);
  }

  private attach(): void {
    // The port dialled, or the peer's as adopted: no getpeername for it.
    this.remotePort = this.opts.port;
    this.socket.on('data', (d: Buffer) => {
      this.totalReceived += d.length;
      if (this.opts.onData) {
        this.log(this.inDir, 'data', d);
        this.opts.onData(d);
      } else if (this.receivedBytes < this.opts.readCap) {
        const keep = d.subarray(0, this.opts.readCap - this.receivedBytes);
        this.chunks.push(keep);
        this.receivedBytes += keep.length;
        this.joined = undefined;
        this.log(this.inDir, 'data', keep);
      }
      if (!this.opts.onData && this.totalReceived > this.opts.readCap) {
        // A flood: stop reading (never buffer it) and let the oracle report it.
        this.socket.pause();
      }
      this.wake();
    });
    this.socket.on('end', () => {
      // Linux reports an RST as a plain end of stream when it arrives before the read (the
      // read sees the connection done before its error). The error is still pending on the
      // socket: an empty write fails with it (ECONNRESET, or EPIPE once consumed) after an
      // RST and sends nothing after a FIN, on loopback and remote hosts alike.
      // Once we have sent our own FIN, an end of stream is taken as the server's FIN.
      this.classifying = true;
      const settle = (fin: boolean) => {
        this.classifying = false;
        if (fin) {
          this.peerEnded = true;
          this.log(this.inDir, 'fin');
        } else this.markReset();
        this.opts.onPeerEnd?.(!fin);
        this.wake();
      };
      if (this.ending) settle(true);
      else if (this.socket.destroyed) settle(!this.wasReset);
      else if (this.sentAhead && this.local) void this.unreadAnswered().then((reset) => (reset ? settle(false) : this.classifyEnd(settle)));
      else this.classifyEnd(settle);
    });
    this.socket.on('error', (e: NodeJS.ErrnoException) => {
      this.errorCode = e.code;
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
        const first = !this.wasReset;
        this.markReset();
        if (first) this.opts.onPeerEnd?.(true);
      }
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.log(this.inDir, 'close');
      this.wake();
    });
  }

  private markReset(): void {
    if (!this.wasReset) this.log(this.inDir, 'rst');
    this.wasReset = true;
  }

  /** FIN or RST, at the peer's end of stream. */
  private classifyEnd(settle: (fin: boolean) => void): void {
    if (this.socket.destroyed) return settle(!this.wasReset);
    // Bytes still queued: an empty write would wait behind them, maybe for a server that
    // never reads again. After our own end (sent while this end was being told) it would
    // fail whatever came. Ask the kernel instead.
    if (this.socket.writableLength > 0 || this.socket.writableEnded) void this.wasFin().then(settle);
    else this.socket.write(EMPTY, (err) => settle(!err));
  }

  /**
   * After the server's FIN, while our bytes are unacknowledged and no process holds the
   * server's socket any more: its kernel answers them with an RST, on its way or already
   * here. Waits for it (true), or until the bytes are acknowledged or the server's socket is
   * still held (false: nothing is coming now).
   */
  private async unreadAnswered(): Promise<boolean> {
    const deadline = Date.now() + this.opts.paceTimeoutMs;
    while (Date.now() < deadline && !this.socket.destroyed) {
      const ours = await this.kernelView(this.localPort, this.remotePort);
      // Our side is gone: an RST, unless both FINs crossed meanwhile (the server's side then waits in TIME_WAIT).
      if (ours === null) return !(await this.wasFin());
      if (ours === undefined || (ours.unacked === 0 && this.socket.writableLength === 0)) return false;
      const server = await this.kernelView(this.remotePort, this.localPort);
      // The lookup falls back to the listener: that socket is gone (it sent its RST).
      if (server && server.state !== TCP_LISTEN && server.inode !== 0) return false;
      await sleep(1);
    }
    return false;
  }

  get flooded(): boolean {
    return this.totalReceived > this.opts.readCap;
  }

  /** All bytes received so far (up to readCap). */
  get received(): Buffer {
    if (!this.joined) this.joined = Buffer.concat(this.chunks);
    return this.joined;
  }

  /** The server closed its side (FIN), reset, or the socket is gone: no more bytes will come. */
  get finished(): boolean {
    return !this.classifying && (this.peerEnded || this.wasReset || this.closed);
  }

  private get local(): boolean {
    return isLoopback(this.opts.host);
  }

  /**
   * From the kernel's table: after a FIN one side of the connection stays known (our
   * CLOSE_WAIT, or the server's TIME_WAIT once both FINs crossed); after an RST both are gone.
   * Remote hosts cannot be asked: taken as a FIN.
   */
  private async wasFin(): Promise<boolean> {
    if ((await this.kernelView(this.localPort, this.remotePort)) !== null) return true;
    // The kernel's exact lookup falls back to the listening socket: that is no connection.
    const server = await this.kernelView(this.remotePort, this.localPort);
    return server !== null && server?.state !== TCP_LISTEN;
  }

  /** The kernel's view of a loopback connection; undefined when it cannot be asked (remote, no helper). */
  private kernelView(localPort: number, remotePort: number) {
    if (!this.local || !localPort || !remotePort) return Promise.resolve(undefined);
    return sockInfo(localPort, remotePort, this.socket.remoteFamily === 'IPv6' ? 6 : 4);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * Waits until `ready()` holds or nothing more can arrive or the deadline passes, or (asked
   * every 100 ms) `stopWhen()` holds.
   */
  waitFor(ready: () => boolean, timeoutMs: number, stopWhen?: () => boolean): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
        resolve(v);
      };
      const check = () => {
        if (ready()) done(true);
        else if (this.finished || this.flooded) done(ready());
      };
      const timer = setTimeout(() => done(ready()), timeoutMs);
      const poll = stopWhen && setInterval(() => stopWhen() && done(ready()), 100);
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the server's end of stream (FIN, reset or close). */
  waitForEnd(timeoutMs: number): Promise<boolean> {
    return this.waitFor(() => this.finished, timeoutMs);
  }

  /**
   * Writes segments without waiting for the server to speak first, to a server that may
   * close without reading them (it replies as soon as a client connects): its end of stream
   * is then told from an RST only once the bytes are acknowledged or answered.
   */
  sendAhead(segments: readonly Buffer[]): Promise<boolean> {
    this.sentAhead = true;
    return this.sendSegments(segments);
  }

  /** Writes one segment. Resolves false if the connection failed. */
  write(bytes: Buffer): Promise<boolean> {
    if (this.socket.destroyed || this.socket.writableEnded || this.ending) return Promise.resolve(false);
    this.log(this.outDir, 'data', bytes);
    return new Promise((resolve) => {
      this.socket.write(bytes, (err) => resolve(!err));
    });
  }

  /**
   * Writes part of a long stream with backpressure only (no wait for each chunk to be flushed):
   * for large uploads, where segment boundaries do not matter. The bytes must never change
   * afterwards (a generated body's views): the log keeps them without a copy (16 MiB a GiB).
   */
  async writeFlowing(bytes: Buffer): Promise<boolean> {
    if (this.socket.destroyed || this.socket.writableEnded || this.ending) return false;
    this.log(this.outDir, 'data', bytes, true);
    if (!this.socket.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
    return !this.socket.destroyed;
  }

  /**
   * Writes each segment separately so the server's recv sees each one alone: on this machine
   * we wait until the server has read the previous one (its receive queue is empty); on a
   * remote host we leave a gap. A server that stops reading is waited for up to paceTimeoutMs.
   */
  async sendSegments(segments: readonly Buffer[]): Promise<boolean> {
    for (let i = 0; i < segments.length; i++) {
      if (!(await this.write(segments[i]))) return false;
      if (i < segments.length - 1) await this.pace();
    }
    return true;
  }

  /**
   * Carries out a write plan: segments whose gap is not paced go out as one write (so they
   * really coalesce), paced ones after the peer has read what came before; then the ending.
   * Resolves false if the connection failed.
   */
  async sendPlan(plan: WritePlan): Promise<boolean> {
    const writes: Buffer[][] = [[plan.segments[0] ?? EMPTY]];
    plan.segments.slice(1).forEach((seg, i) => (plan.paced[i] ? writes.push([seg]) : writes[writes.length - 1].push(seg)));
    let ok = true;
    for (let i = 0; i < writes.length && ok; i++) {
      const bytes = Buffer.concat(writes[i]);
      if (bytes.length > 0) ok = await this.write(bytes);
      if (ok && i < writes.length - 1) await this.pace();
    }
    switch (plan.ending.kind) {
      case 'half-close':
        this.end();
        break;
      case 'close':
        // A server's close() (the course's conn.close()): FIN, and nothing read after it, so
        // what the client sends next is answered with an RST. A client closes politely.
        if (this.role === 'server') this.abandon();
        else this.close();
        break;
      case 'reset':
        this.reset();
        break;
    }
    return ok;
  }

  /** Waits until the peer has read everything sent so far (or a gap, when unobservable). */
  async pace(): Promise<void> {
    if (!this.local) return sleep(this.opts.gapMs);
    void this.localPort; // asked now, while the socket still knows it
    // A millisecond lets loopback deliver the segment; then wait until the peer has read it.
    // (The sender's unacknowledged count is no help: receivers delay ACKs by up to 40 ms.)
    await sleep(1);
    const deadline = Date.now() + this.opts.paceTimeoutMs;
    while (Date.now() < deadline && !this.finished) {
      const server = await this.kernelView(this.remotePort, this.localPort);
      if (server === undefined) return sleep(this.opts.gapMs);
      if (server === null || server.unread === 0) return;
      await sleep(1);
    }
  }

  /**
   * Waits until the server process has accepted this connection (its listener's accept queue
   * is empty), so an RST sent next lands on an accepted socket, not one still in the queue.
   */
  async awaitAccepted(): Promise<void> {
    const deadline = Date.now() + this.opts.paceTimeoutMs;
    while (this.local && Date.now() < deadline && !this.finished) {
      // No connection has port 1 on our side: the kernel's lookup falls back to the listener,
      // whose unread count is its accept queue.
      const listener = await this.kernelView(this.remotePort, 1);
      if (!listener || listener.state !== TCP_LISTEN || listener.unread === 0) return;
      await sleep(1);
    }
  }

  /** Half-close: FIN after the last byte while still reading replies. */
  end(): void {
    if (this.socket.destroyed || this.socket.writableEnded || this.ending) return;
    this.ending = true;
    if (this.opts.freeServerPort && this.peerEnded) {
      this.releasing = this.releaseServerPort();
      return;
    }
    this.log(this.outDir, 'fin');
    this.socket.end();
  }

  /** After the server's FIN: an RST if no process holds its socket any more (see freeServerPort), else our FIN. */
  private async releaseServerPort(): Promise<void> {
    const server = await this.kernelView(this.remotePort, this.localPort);
    if (this.socket.destroyed) return;
    if (server && (server.state === TCP_FIN_WAIT1 || server.state === TCP_FIN_WAIT2) && server.inode === 0) {
      this.log(this.outDir, 'rst');
      this.socket.resetAndDestroy();
    } else {
      this.log(this.outDir, 'fin');
      this.socket.end();
    }
  }

  /** FIN after what is queued, then the socket is gone: later bytes from the peer meet an RST. */
  abandon(): void {
    if (this.socket.destroyed) return;
    if (!this.socket.writableEnded && !this.ending) this.log(this.outDir, 'fin');
    this.ending = true;
    // Nothing left in our buffer: close now, as a server's close() does (the kernel sends what it
    // holds, then the FIN). Waiting for our FIN's 'finish' first left the socket open for
    // milliseconds on a busy loop, and a quick client's next bytes were read instead of reset.
    if (this.socket.writableLength === 0) this.socket.destroy();
    else this.socket.destroySoon();
  }

  /** A real RST (SO_LINGER 0). */
  reset(): void {
    if (this.socket.destroyed) return;
    this.log(this.outDir, 'rst');
    this.socket.resetAndDestroy();
  }

  /**
   * Closes like a well-behaved client: when the server has not closed yet, our FIN first, and
   * the socket stays open reading until the server closes (or `graceMs`), because bytes that
   * reach a closed socket make the kernel answer with an RST, which a fragile server does not
   * survive. The session did not cause that reset: sockspec must not either.
   */
  close(graceMs = 1000): void {
    if (this.socket.destroyed || this.closing) return;
    if (this.finished) {
      if (this.opts.freeServerPort && this.peerEnded) this.end(); // decides between RST and FIN
      if (this.releasing) {
        void this.releasing.then(() => this.socket.destroy());
        return;
      }
      if (!this.socket.writableEnded && !this.ending) this.log(this.outDir, 'fin');
      this.socket.destroy();
      return;
    }
    this.closing = true;
    this.end();
    void this.waitForEnd(graceMs).then(() => this.socket.destroy());
  }

  /** Resolves once the socket is gone (after close(), reset() or the server's close). */
  settled(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }
}

const EMPTY = Buffer.alloc(0);

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
