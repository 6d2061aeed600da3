// Spawned target: the student's command, started in a fresh sandbox on a free port, confined
// (bubblewrap) and limited (prlimit, a pids cgroup), watched from /proc. Readiness is seen as a
// LISTEN socket owned by the program's processes: we never connect to find out, because a
// connection is itself a session a fragile server can die of.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import { TargetError } from '../errors';
import { childPids, cpuUseOf, descendantPids, listeningAddressesOf, listeningPortsOf, listensOn, namespaceAmong, programPids, socketInodesOf } from '../proc';
import { sockInfo, TCP_LISTEN } from '../sockdiag';
import type { CpuUse } from '../proc';
import { Sandbox } from '../sandbox';
import { bubblewrapArgs, bubblewrapStatus, commandView, hiddenEtc, refusedAccesses, type ConfinedCommand, type Isolation } from './confine';
import { DEFAULT_LIMITS, hasPrlimit, joinCgroupArgs, limitHit, limitWords, PidsCgroup, processesOfUser, prlimitArgs, type Limits } from './limits';
import { killGroup, untilGoneSync, onExit, trackGroup, untrackGroup } from './reaper';
import type { Confinement, Health, Target } from './types';
import { onPath, pythonOf, studentEnv } from '../python';

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
  /** 'auto' (the default): confined by bubblewrap where it can run, else unconfined; 'none': never confined. Limits apply either way. */
  isolation?: 'auto' | 'none';
  limits?: Partial<Limits>;
  /**
   * A client under test (sockspec listens, the program connects): started, not waited for to
   * listen; fed `stdin` and closed; its stdout kept (up to a cap) for the oracles.
   */
  client?: { stdin: string };
}

/**
 * An unconfined command with its Python launcher (a pyenv shim: a shell script running several
 * more, 350 ms more CPU a start here) replaced by the interpreter it picks, as confinement does.
 * The pick is the one the program would get: the launcher is asked outside any project (the
 * program runs in its sandbox folder, outside the user's too) with the same environment.
 */
function unlaunched(words: string[]): string[] {
  const python = words.length ? pythonOf(onPath(words[0])) : undefined;
  return python ? [python.executable, ...words.slice(1)] : words;
}

/** Stdout kept of a client under test: a client printing b'' forever must not fill memory. */
const STDOUT_KEEP = 1 << 20;

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

/** The command's words with {port} filled in and relative paths that exist made absolute. */
export function resolveWords(command: string, port: number, cwd: string): string[] {
  return shellWords(command).map((w) => {
    const filled = w.replaceAll('{port}', String(port));
    if (filled.startsWith('-') || path.isAbsolute(filled) || !filled.includes('.') && !filled.includes('/')) return filled;
    return existsSync(path.join(cwd, filled)) ? path.resolve(cwd, filled) : filled;
  });
}

/** The command with {port} filled in and relative paths that exist made absolute. */
export function resolveCommand(command: string, port: number, cwd: string): string {
  return resolveWords(command, port, cwd).map(shellQuote).join(' ');
}

/** An exit status above 128 from a shell or bwrap is a signal the program died of. */
function signalOf(exit: { code: number | null; signal: string | null }): string | null {
  if (exit.signal || exit.code === null || exit.code <= 128) return exit.signal;
  return Object.entries(constants.signals).find(([, n]) => n === exit.code! - 128)?.[0] ?? null;
}

/**
 * Asks now what starting a program confined (or, with isolation 'none', limited only) needs to
 * know of the machine, so that the processes this one starts are handed the answers (probes.ts):
 * grade before its fuzz runs, npm test before its files.
 */
export function probeConfinement(isolation: SpawnOptions['isolation']): void {
  if (isolation !== 'none' && bubblewrapStatus().ok) hiddenEtc();
  hasPrlimit();
}

/** Why the program is not confined, or a limit not enforced, in one line each (empty when all holds). */
function confinementNotes(isolation: SpawnOptions['isolation'], cgroup: boolean): string[] {
  const notes: string[] = [];
  const bw = bubblewrapStatus();
  if (isolation !== 'none' && !bw.ok) notes.push(`${bw.why}: spawned programs run unconfined (they can read and write what you can), with resource limits only`);
  if (!hasPrlimit()) notes.push('prlimit (util-linux) is not installed: spawned programs run without resource limits');
  else if (!cgroup && process.getuid?.() === 0) notes.push('no pids cgroup could be created: the process limit does not hold for programs running as root');
  return notes;
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
  private stdout: Buffer[] = [];
  private stdoutBytes = 0;
  private exitWaiters: (() => void)[] = [];
  private stderrClosed: Promise<void> = Promise.resolve();
  private stdoutClosed: Promise<void> = Promise.resolve();
  /** The program's PID namespace, seen through bwrap's child (confined only). */
  private namespace: string | undefined;
  private cgroup: PidsCgroup | undefined;
  private view: ConfinedCommand | undefined;
  /** Tenth polls in a row that saw the program listening on its port at another address only. */
  private elsewhereSeen = 0;
  readonly limits: Limits;

  constructor(private readonly opts: SpawnOptions) {
    if (!opts.command.includes('{port}') && opts.port === undefined) {
      const flag = opts.client ? '--spawn-client' : '--spawn';
      throw new TargetError('ERR_NO_PORT', `the ${flag} command needs {port} where the port goes, or pin one with --port N`);
    }
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
  }

  /** bubblewrap when the program is confined, none when it runs with the tester's rights. */
  get isolation(): Isolation {
    return this.opts.isolation !== 'none' && bubblewrapStatus().ok ? 'bubblewrap' : 'none';
  }

  confinement(): Confinement {
    return { isolation: this.isolation, limits: this.limits };
  }

  /** What does not hold here (no bubblewrap, no limits), in one line each: for the user, once. */
  get notes(): string[] {
    return confinementNotes(this.opts.isolation, !!PidsCgroup.available());
  }

  get description(): string {
    return `spawned \`${this.opts.command}\``;
  }

  get pinnedPort(): boolean {
    return this.opts.port !== undefined;
  }

  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (e) {
        // The port sockspec chose was taken between its check and the server's bind (another
        // process's connection, on a busy machine): not the server's doing, so another port.
        if (!this.lostPortRace || attempt >= 3) throw e;
      }
    }
  }

  /** The server exited before listening because the port sockspec chose for it was in use. */
  private lostPortRace = false;

  private async startOnce(): Promise<void> {
    this.lostPortRace = false;
    this.sandbox = new Sandbox({ keep: this.opts.keep });
    const sandbox = this.sandbox;
    this.opts.prepareDir?.(sandbox.work);
    this.port = this.opts.port ?? (await freePort());
    // A client binds nothing: the port is sockspec's listener, whose old connections hold up no one.
    if (this.opts.port !== undefined && !this.opts.client) clearTimeWait(this.port);
    this.exit = undefined;
    this.stderr = '';
    this.stdout = [];
    this.stdoutBytes = 0;
    this.namespace = undefined;
    this.elsewhereSeen = 0;
    const argv = this.argv(resolveWords(this.opts.command, this.port, this.opts.cwd), sandbox);
    const child = spawn(argv[0], argv.slice(1), {
      cwd: sandbox.work,
      detached: true,
      stdio: [this.opts.client ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: { ...studentEnv(), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
    this.child = child;
    if (child.pid) trackGroup(child.pid);
    const view = this.view;
    sandbox.refusedWrites = () => (view ? refusedAccesses(this.stderr, sandbox.work, sandbox.root, view.visible).filter((a) => a.write).map((a) => a.path) : []);
    child.stdout!.on('data', (d: Buffer) => {
      if (!this.opts.client) return;
      this.stdoutBytes += d.length;
      const room = STDOUT_KEEP - this.stdout.reduce((n, b) => n + b.length, 0);
      if (room > 0) this.stdout.push(d.subarray(0, room));
    });
    if (this.opts.client) {
      child.stdin!.on('error', () => undefined); // a client that exits without reading its stdin
      child.stdin!.end(this.opts.client.stdin);
    }
    this.stderrClosed = new Promise((r) => child.stderr!.once('close', () => r()));
    this.stdoutClosed = new Promise((r) => child.stdout!.once('close', () => r()));
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      for (const w of this.exitWaiters.splice(0)) w();
    });
    if (!this.opts.client) await this.waitListening(child);
  }

  /** What a client under test printed so far (up to 1 MiB), and how many bytes in all. */
  output(): { text: string; bytes: number } {
    return { text: Buffer.concat(this.stdout).toString('utf8'), bytes: this.stdoutBytes };
  }

  /** The program's exit, once it has exited. */
  exitStatus(): { code: number | null; signal: string | null } | undefined {
    return this.exit && { code: this.exit.code, signal: signalOf(this.exit) };
  }

  /**
   * The program under its limits and, when confined, under bwrap:
   * [sh joining the cgroup] bwrap ... -- prlimit ... -- /bin/sh -c CMD. The limits are set inside
   * the sandbox, so that a user's other processes never count against the program's.
   */
  private argv(words: string[], sandbox: Sandbox): string[] {
    const confined = this.isolation === 'bubblewrap';
    this.view = confined ? commandView(words, this.opts.cwd) : undefined;
    const cmd = (this.view?.words ?? unlaunched(words)).map(shellQuote).join(' ');
    const root = process.getuid?.() === 0;
    this.cgroup?.remove();
    this.cgroup = PidsCgroup.create(this.limits.procs + 2);
    const cgroup = this.cgroup;
    if (cgroup) {
      this.untrackCgroup = onExit(() => {
        // A cgroup with a process in it cannot be removed: killed until it is empty (a process
        // forked meanwhile too).
        untilGoneSync(() => {
          this.killAll();
          return cgroup.pids().length > 0;
        });
        cgroup.remove();
      });
    }
    // RLIMIT_NPROC counts every process of the user: in bwrap's user namespace only the program's, outside it all of them.
    const nproc = root ? undefined : confined ? this.limits.procs + 2 : processesOfUser(process.getuid!()) + this.limits.procs;
    let argv = ['/bin/sh', '-c', cmd];
    if (hasPrlimit()) argv = ['prlimit', ...prlimitArgs(this.limits, nproc), '--', ...argv];
    if (confined) argv = ['bwrap', ...bubblewrapArgs(this.view!, sandbox.root, sandbox.work, argv)];
    return cgroup ? joinCgroupArgs(cgroup.procsFile, argv) : argv;
  }

  private untrackCgroup: (() => void) | undefined;

  /**
   * Host pids of the program, without a scan of every process on the machine where it can: its
   * cgroup's list; confined, a walk down the tree from bwrap (an orphan goes to the namespace's
   * init, below it), and its PID namespace once bwrap is gone. Else its process group and
   * namespace, found by a scan.
   */
  private pids(): number[] {
    const pgid = this.child?.pid;
    if (!pgid) return [];
    // Every process the program makes is born in its cgroup (the spawned wrapper joins it before
    // it execs anything): the cgroup's list, and the wrapper itself until it has joined.
    if (this.cgroup) return [...new Set([...(this.exit ? [] : [pgid]), ...this.cgroup.pids()])];
    const confined = this.isolation === 'bubblewrap';
    const tree = confined ? descendantPids(pgid) : undefined;
    if (tree?.length) {
      // Learnt while bwrap lives, for the end, when its namespace may outlive it for a moment.
      this.namespace ??= namespaceAmong(tree);
      return tree;
    }
    if (confined && !this.namespace) {
      if (tree) return []; // bwrap is gone, and its namespace was never seen
      this.namespace = namespaceAmong(childPids(pgid)); // no children lists: bwrap's child by a scan
    }
    return programPids(pgid, this.namespace);
  }

  /** SIGKILL to the group and to every process of the program that left it. */
  private killAll(): void {
    const pgid = this.child?.pid;
    if (pgid) killGroup(pgid);
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private async waitListening(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.opts.startTimeoutMs;
    for (let poll = 1; Date.now() < deadline; poll++) {
      if (this.exit || child.pid === undefined) {
        // Let the last stderr bytes (the traceback) arrive before quoting them.
        await Promise.race([this.stderrClosed, new Promise((r) => setTimeout(r, 1000))]);
        const how = this.exit?.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit?.code ?? '?'}`;
        const portInUse = /Address already in use/.test(this.stderr);
        const hint =
          this.opts.port !== undefined && portInUse
            ? ' (the pinned port is still held by closed connections of the previous run: set SO_REUSEADDR in the server, or let sockspec choose the port with {port})'
            : '';
        this.lostPortRace = this.opts.port === undefined && portInUse;
        const error = new TargetError('ERR_NOT_LISTENING', `the server ${how} before listening on port ${this.port}${hint}`, this.stderrTail());
        await this.stop(); // its sandbox and cgroup too, as when it never listens (they were left behind)
        throw error;
      }
      const ready = await this.listening(poll);
      if (ready === true) return;
      if (ready) {
        await this.stop();
        throw new TargetError('ERR_NOT_LISTENING', `the server listens on port ${this.port} at ${ready.elsewhere.join(', ')} only, where a client connecting to 127.0.0.1 (as the course's clients and sockspec do) cannot reach it: bind to '127.0.0.1' or '0.0.0.0' (an IPv6 socket: '::', which takes IPv4 clients too)`, this.stderrTail());
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const elsewhere = listeningPortsOf(this.pids());
    await this.stop();
    const hint = elsewhere.length ? ` (it listens on port ${elsewhere.join(', ')} instead: put {port} in the command or pass --port)` : '';
    throw new TargetError('ERR_NOT_LISTENING', `the server did not listen on port ${this.port} within ${this.opts.startTimeoutMs / 1000} s${hint}`, this.stderrTail());
  }

  /**
   * Whether the program listens on its port where sockspec connects, 127.0.0.1: the kernel's
   * exact lookup of the listener there (no connection has port 1 on our side, so the lookup
   * falls back to the listener), microseconds through the sock_diag helper. The TCP table holds
   * every connection of the machine, thousands of closed ones in a busy run (a read took 25 ms
   * after 10000 sessions), and was read at every tenth poll of each start. Now the table decides
   * only without the helper, when the listener found is another program's, and, every hundredth
   * poll (a second or more), for a server listening at another address only; at IPv6 only
   * ([::1], or [::] with IPV6_V6ONLY) the helper tells that at every tenth poll. Such a server is
   * no use (`elsewhere`), but only when seen so at two tenth polls in a row, 127.0.0.1 asked
   * again each time: it may have begun there just after the first lookup, or open its 127.0.0.1
   * socket after its ::1 one.
   */
  private async listening(poll: number): Promise<boolean | { elsewhere: string[] }> {
    const listener = await sockInfo(this.port, 1);
    let scanned: number[] | undefined; // the program's processes, found once a check needs them
    const pids = () => (scanned ??= this.pids());
    if (listener === undefined) return listensOn(pids(), this.port);
    const ours = (inode: number) => pids().some((pid) => socketInodesOf(pid).has(inode));
    if (listener?.state === TCP_LISTEN) return ours(listener.inode) || listensOn(pids(), this.port);
    if (poll % 10 !== 0) return false; // nothing listens there yet: no scan of the processes either
    const v6 = await sockInfo(this.port, 1, 6);
    // The table, read once here when it is due (and at the second sighting, which names the addresses).
    const elsewhere = poll % 100 === 0 || this.elsewhereSeen > 0 ? listeningAddressesOf(pids(), this.port).filter((a) => a !== '0.0.0.0' && a !== '127.0.0.1') : [];
    const seen = (v6?.state === TCP_LISTEN && ours(v6.inode)) || elsewhere.length > 0;
    if (!seen || (await sockInfo(this.port, 1))?.state === TCP_LISTEN) {
      this.elsewhereSeen = 0; // not listening, or now at 127.0.0.1 as well (the next poll sees it)
      return false;
    }
    if (++this.elsewhereSeen < 2) return false;
    return elsewhere.length ? { elsewhere: elsewhere.map((a) => (a.includes(':') ? `[${a}]` : a)) } : false;
  }

  async restart(counted = true): Promise<void> {
    await this.stop();
    await this.start();
    if (counted) this.restarts++;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid) {
      this.killAll();
      if (!this.exit) await new Promise<void>((r) => this.exitWaiters.push(r));
      // Forked children die on their own schedule: wait until the program is really gone.
      for (let i = 0; i < 200 && this.pids().length > 0; i++) {
        this.killAll();
        await new Promise((r) => setTimeout(r, 10));
      }
      untrackGroup(child.pid);
    }
    for (let i = 0; i < 50 && this.cgroup && !this.cgroup.remove(); i++) await new Promise((r) => setTimeout(r, 10));
    this.untrackCgroup?.();
    this.cgroup = undefined;
    this.child = undefined;
    if (!this.opts.keep) this.sandbox?.remove();
  }

  health(): Health {
    if (!this.exit) return {};
    if (this.exit.code === 0) return { exited: true };
    const how = this.exit.signal ? `killed by ${this.exit.signal}` : `exit code ${this.exit.code}`;
    const detail = this.stderrTail() || `(no output on stderr; ${how})`;
    // The runner quotes the last line: the limit or the refused access in words, when that is what killed it.
    const words = this.deathInWords();
    return { crashed: { detail: words ? `${detail}\n${words}` : detail, code: this.exit.code, signal: this.exit.signal } };
  }

  /** Why the program died, when it ran into a limit or into the walls of its sandbox. */
  private deathInWords(): string | undefined {
    const hit = limitHit({ code: this.exit!.code, signal: signalOf(this.exit!) }, this.stderrTail(), this.cgroup?.refusedForks() ?? 0);
    if (hit) return limitWords(hit, this.limits);
    if (!this.view || !this.sandbox) return undefined;
    const last = refusedAccesses(this.stderrTail(), this.sandbox.work, this.sandbox.root, this.view.visible).pop();
    if (!last) return undefined;
    return `it tried to ${last.write ? 'write' : 'open'} ${last.path}, outside its sandbox (refused: ${last.why})`;
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

  /** Resolves when the program has exited (any status), or after `ms`; its last output is then in. */
  async waitForDeathOrExit(ms: number): Promise<void> {
    await this.waitForDeath(ms);
    if (this.exit) await Promise.race([this.stdoutClosed, new Promise((r) => setTimeout(r, 500))]);
  }

  cpuUse(): CpuUse | undefined {
    return this.child?.pid && !this.exit ? cpuUseOf(this.pids()) : undefined;
  }

  stderrTail(lines = 20): string {
    return this.stderr.trimEnd().split('\n').slice(-lines).join('\n');
  }
}
