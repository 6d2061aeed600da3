// A client under test: sockspec listens (on a free port, or the one the course hard-codes) and
// starts the student's program afresh for every session, in its own confined sandbox with the
// session's files and a scripted stdin. The program is a SpawnTarget in its client form.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TargetError } from '../errors';
import type { CpuUse } from '../proc';
import { SpawnTarget, type SpawnOptions } from './spawn';
import type { Confinement, Health, Target } from './types';

export interface ClientTargetOptions {
  command: string;
  /** Where sockspec listens: the port a client hard-codes (the course's 8001); default a free one for {port}. */
  port?: number;
  cwd: string;
  isolation?: SpawnOptions['isolation'];
  limits?: SpawnOptions['limits'];
  keep?: boolean;
  /** The client's stdin for every session (--stdin FILE), instead of each clause's script. */
  stdin?: string;
}

/** One session's client: its program, its connections as they come, and what it printed. */
export interface ClientRun {
  program: SpawnTarget;
  workDir: string;
  /** What the client was given on stdin (the session's script, or --stdin's). */
  stdin: string;
  /** The next connection from the client, or undefined after `ms`. */
  accept(ms: number): Promise<net.Socket | undefined>;
  /** Resolves once the client has exited, or after `ms`. */
  waitExit(ms: number): Promise<void>;
  exited(): boolean;
  cpuUse(): CpuUse | undefined;
  stop(): Promise<void>;
}

/**
 * As a Target (the runner's view): "started" once sockspec listens; each session starts its own
 * program, so there is nothing to restart and no lasting health of a server to watch.
 */
export class ClientTarget implements Target {
  readonly kind = 'spawn' as const;
  readonly host = '127.0.0.1';
  readonly sandbox = undefined;
  readonly restarts = 0;
  port = 0;
  private server: net.Server | undefined;
  private queue: net.Socket[] = [];
  private waiting: ((s: net.Socket) => void) | undefined;
  private last: SpawnTarget | undefined;

  constructor(private readonly opts: ClientTargetOptions) {
    if (!opts.command.includes('{port}') && opts.port === undefined) {
      throw new TargetError('ERR_NO_PORT', 'the --spawn-client command needs {port} where the port goes, or the port the client connects to with --port N (the course uses 8001)');
    }
  }

  get description(): string {
    return `spawned client \`${this.opts.command}\``;
  }

  async listen(): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (s) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) w(s);
      else this.queue.push(s);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new TargetError('ERR_PORT_IN_USE', `port ${this.opts.port} is in use: stop what listens there, or let sockspec choose with {port}`) : e),
      );
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Starts the client for one session: a fresh sandbox holding `files`, `stdin` scripted. */
  async session(stdin: string, files: Record<string, Buffer> = {}): Promise<ClientRun> {
    if (!this.server) await this.listen();
    for (const s of this.queue.splice(0)) s.destroy(); // a previous client's late connections
    const given = this.opts.stdin ?? stdin;
    const program = new SpawnTarget({
      command: this.opts.command,
      port: this.port,
      cwd: this.opts.cwd,
      startTimeoutMs: 0,
      keep: !!this.opts.keep,
      isolation: this.opts.isolation,
      limits: this.opts.limits,
      client: { stdin: given },
      prepareDir: (dir) => {
        for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
      },
    });
    this.last = program;
    await program.start();
    const workDir = program.sandbox!.work;
    return {
      program,
      workDir,
      stdin: given,
      accept: (ms) => this.accept(ms, program),
      waitExit: (ms) => program.waitForDeathOrExit(ms),
      exited: () => !!program.exitStatus(),
      cpuUse: () => program.cpuUse(),
      stop: () => program.stop(),
    };
  }

  private accept(ms: number, program: SpawnTarget): Promise<net.Socket | undefined> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const done = (s: net.Socket | undefined) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiting = undefined;
        resolve(s);
      };
      const timer = setTimeout(() => done(undefined), ms);
      // A client that died before connecting will never connect.
      const poll = setInterval(() => program.exitStatus() && done(undefined), 20);
      this.waiting = (s) => done(s);
    });
  }

  start(): Promise<void> {
    return this.server ? Promise.resolve() : this.listen();
  }

  async restart(): Promise<void> {
    // Every session starts the client afresh.
  }

  health(): Health {
    return {};
  }

  async waitForDeath(): Promise<void> {}

  cpuUse(): CpuUse | undefined {
    return undefined;
  }

  stderrTail(): string {
    return '';
  }

  confinement(): Confinement {
    return this.last?.confinement() ?? new SpawnTarget({ command: this.opts.command, port: this.port || 1, cwd: this.opts.cwd, startTimeoutMs: 0, keep: false, isolation: this.opts.isolation, limits: this.opts.limits, client: { stdin: '' } }).confinement();
  }

  get notes(): string[] {
    return this.last?.notes ?? [];
  }

  async stop(): Promise<void> {
    await this.last?.stop();
    for (const s of this.queue.splice(0)) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
  }
}
