// Spawned target: the student's command, started in a fresh sandbox on a free port, watched
// from /proc. Readiness is seen as a LISTEN socket owned by the process group: we never
// connect to find out, because a connection is itself a session a fragile server can die of.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TargetError } from '../errors';
import { groupCpuSeconds, groupListensOn, groupListeningPorts, processGroupPids } from '../proc';
import { Sandbox } from '../sandbox';
import { killGroup, onExit, trackGroup, untrackGroup } from './reaper';
import type { Health, Target } from './types';

const STDERR_KEEP = 64 * 1024;

export interface SpawnOptions {
  command: string;
  /** A fixed port, when the command has no {port}. */
  port?: number;
  /** Folder the user typed the command in: relative paths in it resolve from here. */
  cwd: string;
  prepareDir?: (dir: string) => void;
  startTimeoutMs: number;
  keep: boolean;
}

/** Splits a command line into words the way a POSIX shell does for plain quoting. */
export function shellWords(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) cur += command[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      cur += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new TargetError('ERR_COMMAND', `the command has an unclosed ${quote} quote`);
  if (inWord) out.push(cur);
  return out;
}

/** A word quoted for a POSIX shell (left bare when it needs no quotes). */
export const shellQuote = (w: string) => (/^[\w@%+=:,./{}-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** The command with {port} filled in and relative paths that exist made absolute. */
export function resolveCommand(command: string, port: number, cwd: string): string {
  return shellWords(command)
    .map((w) => {
      const filled = w.replaceAll('{port}', String(port));
      if (filled.startsWith('-') || path.isAbsolute(filled) || !filled.includes('.') && !filled.includes('/')) return filled;
      return existsSync(path.join(cwd, filled)) ? path.resolve(cwd, filled) : filled;
    })
    .map(shellQuote)
    .join(' ');
}

/**
 * A server restarted on a pinned port cannot bind it while closed connections of its last
 * run linger in TIME_WAIT, unless it sets SO_REUSEADDR (the course's does not). Where allowed
 * (root, `ss` from iproute2), those leftovers are destroyed; elsewhere the error says why.
 */
function clearTimeWait(port: number): void {
  spawnSync('ss', ['-K', '-tan', 'state', 'time-wait', `( sport = :${port} )`], { stdio: 'ignore', timeout: 2000 });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export class SpawnTarget implements Target {
  readonly kind = 'spawn' as const;
  readonly host = '127.0.0.1';
  port = 0;
  sandbox: Sandbox | undefined;
  restarts = 0;
  private child: ChildProcess | undefined;
  private exit: { code: number | null; signal: string | null } | undefined;
  private stderr = '';
  private exitWaiters: (() => void)[] = [];
  private stderrClosed: Promise<void> = Promise.resolve();
  private untrackSandbox: (() => void) | undefined;

  constructor(private readonly opts: SpawnOptions) {
    if (!opts.command.includes('{port}') && opts.port === undefined) {
      throw new TargetError('ERR_NO_PORT', 'the --spawn command needs {port} where the port goes, or pin one with --port N');
    }
  }

  get description(): string {
    return `spawned \`${this.opts.command}\``;
  }

  get pinnedPort(): boolean {
    return this.opts.port !== undefined;
  }

  async start(): Promise<void> {
    this.sandbox = new Sandbox();
    const sandbox = this.sandbox;
    this.untrackSandbox = this.opts.keep ? undefined : onExit(() => sandbox.remove());
    this.opts.prepareDir?.(sandbox.work);
    this.port = this.opts.port ?? (await freePort());
    if (this.opts.port !== undefined) clearTimeWait(this.port);
    this.exit = undefined;
    this.stderr = '';
    const cmd = resolveCommand(this.opts.command, this.port, this.opts.cwd);
    const child = spawn('/bin/sh', ['-c', cmd], {
      cwd: sandbox.work,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
    this.child = child;
    if (child.pid) trackGroup(child.pid);
    child.stdout!.on('data', () => undefined);
    this.stderrClosed = new Promise((r) => child.stderr!.once('close', () => r()));
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      for (const w of this.exitWaiters.splice(0)) w();
    });
    await this.waitListening(child);
  }

  private async waitListening(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.opts.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.exit || child.pid === undefined) {
        // Let the last stderr bytes (the traceback) arrive before quoting them.
        await Promise.race([this.stderrClosed, new Promise((r) => setTimeout(r, 1000))]);
        const how = this.exit?.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit?.code ?? '?'}`;
        const hint =
          this.opts.port !== undefined && /Address already in use/.test(this.stderr)
            ? ' (the pinned port is still held by closed connections of the previous run: set SO_REUSEADDR in the server, or let sockspec choose the port with {port})'
            : '';
        throw new TargetError('ERR_NOT_LISTENING', `the server ${how} before listening on port ${this.port}${hint}`, this.stderrTail());
      }
      if (groupListensOn(child.pid, this.port)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    const elsewhere = child.pid ? groupListeningPorts(child.pid) : [];
    await this.stop();
    const hint = elsewhere.length ? ` (it listens on port ${elsewhere.join(', ')} instead: put {port} in the command or pass --port)` : '';
    throw new TargetError('ERR_NOT_LISTENING', `the server did not listen on port ${this.port} within ${this.opts.startTimeoutMs / 1000} s${hint}`, this.stderrTail());
  }

  async restart(counted = true): Promise<void> {
    await this.stop();
    await this.start();
    if (counted) this.restarts++;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid) {
      killGroup(child.pid);
      if (!this.exit) await new Promise<void>((r) => this.exitWaiters.push(r));
      // Forked children die on their own schedule: wait until the group is really empty.
      for (let i = 0; i < 200 && processGroupPids(child.pid).length > 0; i++) {
        killGroup(child.pid);
        await new Promise((r) => setTimeout(r, 10));
      }
      untrackGroup(child.pid);
    }
    this.child = undefined;
    if (!this.opts.keep) {
      this.sandbox?.remove();
      this.untrackSandbox?.();
    }
  }

  health(): Health {
    if (!this.exit) return {};
    if (this.exit.code === 0) return { exited: true };
    const how = this.exit.signal ? `killed by ${this.exit.signal}` : `exit code ${this.exit.code}`;
    return { crashed: { detail: this.stderrTail() || `(no output on stderr; ${how})`, code: this.exit.code, signal: this.exit.signal } };
  }

  async waitForDeath(ms: number): Promise<void> {
    if (!this.exit) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        this.exitWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    // A dead server's traceback may still be in the pipe.
    if (this.exit) await Promise.race([this.stderrClosed, new Promise((r) => setTimeout(r, 500))]);
  }

  cpuSeconds(): number | undefined {
    return this.child?.pid && !this.exit ? groupCpuSeconds(this.child.pid) : undefined;
  }

  stderrTail(lines = 20): string {
    return this.stderr.trimEnd().split('\n').slice(-lines).join('\n');
  }
}
