// Resource limits of a spawned program: setrlimit through prlimit (address space, file size,
// open files, CPU time, processes) and, where sockspec may create one, a pids cgroup, since
// the kernel never applies RLIMIT_NPROC to root. Hitting a limit is put in words.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { UsageError } from '../errors';
import { probedOnce } from '../probes';

export interface Limits {
  /** Address space of each process, in bytes (RLIMIT_AS). */
  memBytes: number;
  /** Processes and threads of the program at once. */
  procs: number;
  /** Largest file the program may write, in bytes (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Open files and sockets of each process (RLIMIT_NOFILE). */
  openFiles: number;
  /** CPU seconds of each process (RLIMIT_CPU); a server spinning that long is long judged. */
  cpuSeconds: number;
}

const MiB = 1 << 20;
const GiB = 1 << 30;

/** Enough for python, a 1 GiB upload stored whole, a 2 GiB frame announced and a threaded server. */
export const DEFAULT_LIMITS: Limits = { memBytes: 4 * GiB, procs: 64, fileBytes: 2 * GiB, openFiles: 4096, cpuSeconds: 600 };

/** A size flag: `512M`, `4G`, `64K` (binary units), or a bare number of MiB. */
export function parseSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?)?$/i.exec(text.trim());
  const unit = m?.[2]?.[0].toUpperCase() ?? 'M';
  const bytes = m ? Math.round(Number(m[1]) * { K: 1024, M: MiB, G: GiB }[unit as 'K']) : NaN;
  if (!(bytes >= 1)) throw new UsageError(`${flag} takes a size like 512M or 4G, not "${text}"`);
  return bytes;
}

/** 2147483648 -> "2 GiB", 268435456 -> "256 MiB". */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', GiB], ['MiB', MiB], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % (size / 4) === 0) return `${+(bytes / size).toFixed(2)} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The limits in words, for the report header. */
export function describeLimits(l: Limits): string {
  return `memory ${formatSize(l.memBytes)} per process, ${l.procs} processes, files up to ${formatSize(l.fileBytes)}, ${l.openFiles} open files, ${l.cpuSeconds} s CPU per process`;
}

/**
 * prlimit's arguments for `limits`. `nproc` is the RLIMIT_NPROC to set: the kernel counts it
 * over every process of the user (of the user namespace, when confined), and not at all for root.
 */
export function prlimitArgs(l: Limits, nproc: number | undefined): string[] {
  const both = (n: number) => `${n}:${n}`;
  const args = [`--as=${both(l.memBytes)}`, `--fsize=${both(l.fileBytes)}`, `--nofile=${both(l.openFiles)}`, `--cpu=${l.cpuSeconds}:${l.cpuSeconds + 5}`];
  if (nproc !== undefined) args.push(`--nproc=${both(nproc)}`);
  return args;
}

/** Processes the user runs now: RLIMIT_NPROC counts them too when the program is not in a user namespace of its own. */
export function processesOfUser(uid: number): number {
  let n = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(readFileSync(`/proc/${e}/status`, 'latin1'))) n++;
    } catch {
      // gone while we counted
    }
  }
  return n;
}

/** Where this process's pids cgroup lives (v1 `pids` hierarchy, or v2 with the pids controller), when it can be written. */
function pidsCgroupParent(): string | undefined {
  let mounts: string, own: string;
  try {
    mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    own = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of mounts.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!post) continue;
    const f = pre.split(' ');
    const [fstype, , options] = post.split(' ');
    const mountPoint = f[4];
    const mountRoot = f[3];
    let inside: string | undefined;
    if (fstype === 'cgroup' && options.split(',').includes('pids')) inside = /^\d+:pids:(.*)$/m.exec(own)?.[1];
    else if (fstype === 'cgroup2') inside = /^0::(.*)$/m.exec(own)?.[1];
    if (inside === undefined || !inside.startsWith(mountRoot)) continue;
    const dir = path.join(mountPoint, inside.slice(mountRoot.length));
    if (fstype === 'cgroup2') {
      // v2 only limits pids below a cgroup that hands the controller down to its children.
      try {
        if (!readFileSync(path.join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('pids')) continue;
        if (!readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('pids')) writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+pids');
      } catch {
        continue;
      }
    }
    if (existsSync(path.join(dir, 'cgroup.procs'))) return dir;
  }
  return undefined;
}

let cgroupSerial = 0;

/** A pids cgroup of one spawned program: a process limit that holds for root and counts only the program. */
export class PidsCgroup {
  private constructor(readonly dir: string) {}

  /** A fresh cgroup holding at most `max` processes, or undefined where none can be made (not root, read-only cgroupfs). */
  static create(max: number): PidsCgroup | undefined {
    const parent = pidsCgroupParent();
    if (!parent) return undefined;
    removeStale(parent);
    const dir = path.join(parent, `sockspec-${process.pid}-${++cgroupSerial}`);
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'pids.max'), String(max));
      return new PidsCgroup(dir);
    } catch {
      try {
        rmdirSync(dir);
      } catch {
        // never made
      }
      return undefined;
    }
  }

  /** Whether a pids cgroup can be made here at all. */
  static available(): boolean {
    return pidsCgroupParent() !== undefined;
  }

  /** The file a process writes its pid into to join (before it forks anything). */
  get procsFile(): string {
    return path.join(this.dir, 'cgroup.procs');
  }

  /** Pids in the cgroup (every process of the program, whatever group or session it moved to). */
  pids(): number[] {
    try {
      return readFileSync(this.procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** How many forks the limit refused so far. */
  refusedForks(): number {
    try {
      return Number(/^max (\d+)/m.exec(readFileSync(path.join(this.dir, 'pids.events'), 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  /** Removes the cgroup once it is empty (true when gone). */
  remove(): boolean {
    try {
      rmdirSync(this.dir);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT';
    }
  }
}

/** Empty cgroups left by a sockspec that was killed before it could remove them. */
function removeStale(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) {
    const owner = /^sockspec-(\d+)-\d+$/.exec(n)?.[1];
    if (!owner || Number(owner) === process.pid || existsSync(`/proc/${owner}`)) continue;
    try {
      rmdirSync(path.join(parent, n));
    } catch {
      // still has processes (they die with their sandbox) or already gone
    }
  }
}

export type LimitHit = 'file' | 'mem' | 'procs' | 'cpu' | 'files';

/**
 * Which limit a dead program ran into, from how it died and what it printed: Python ignores
 * SIGXFSZ and says `[Errno 27] File too large`, raises MemoryError when the address space is
 * full, and BlockingIOError (EAGAIN) from a fork the process limit refused.
 */
export function limitHit(exit: { code: number | null; signal: string | null }, stderr: string, refusedForks: number): LimitHit | undefined {
  if (exit.signal === 'SIGXFSZ' || /\[Errno 27\]|File too large/.test(stderr)) return 'file';
  // EAGAIN is also a non-blocking socket with nothing to read: only a fork or a thread in the traceback counts.
  const forkFailed = /can't start new thread|Cannot fork|fork: (Resource temporarily unavailable|retry)/.test(stderr) || /fork|\.start\(|Popen|spawn/.test(lineBefore(stderr, /BlockingIOError: \[Errno 11\]/));
  if (forkFailed || (refusedForks > 0 && (/\[Errno 11\]/.test(stderr) || !stderr.trim()))) return 'procs';
  if (/\bMemoryError\b|\[Errno 12\]|Cannot allocate memory|std::bad_alloc|out of memory/i.test(stderr)) return 'mem';
  if (exit.signal === 'SIGXCPU') return 'cpu';
  if (/\[Errno 24\]|Too many open files/.test(stderr)) return 'files';
  return undefined;
}

/** The traceback line (source text) just before the last line matching `error`. */
function lineBefore(stderr: string, error: RegExp): string {
  const lines = stderr.split('\n');
  for (let i = lines.length - 1; i > 0; i--) if (error.test(lines[i])) return lines.slice(Math.max(0, i - 3), i).join('\n');
  return '';
}

/** The limit in words, as the last line of a crash ("the server crashed: it ..."). */
export function limitWords(hit: LimitHit, l: Limits): string {
  switch (hit) {
    case 'file':
      return `it tried to write more than ${formatSize(l.fileBytes)} into one file (the file-size limit; --limit-file raises it)`;
    case 'mem':
      return `it ran out of memory at the limit of ${formatSize(l.memBytes)} per process (--limit-mem raises it)`;
    case 'procs':
      return `it forked more than ${l.procs} processes (the process limit; --limit-procs raises it)`;
    case 'cpu':
      return `it used more than ${l.cpuSeconds} s of CPU time (the CPU limit)`;
    case 'files':
      return `it opened more than ${l.openFiles} files and sockets at once (the open-files limit)`;
  }
}

/** Joins a cgroup from a shell before running the rest (the program must not fork first). */
export function joinCgroupArgs(procsFile: string, argv: string[]): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', procsFile, ...argv];
}

let prlimitFound: boolean | undefined;
/** Whether prlimit (util-linux) is installed: asked once, and handed down (probes.ts). */
export const hasPrlimit = (): boolean =>
  (prlimitFound ??= probedOnce('prlimit', (v): v is boolean => typeof v === 'boolean', () => {
    const r = spawnSync('prlimit', ['--version'], { stdio: 'ignore', timeout: 10_000 });
    // Found, or not there at all: either lasts. A start that failed otherwise (timed out, EAGAIN) does not.
    return { value: r.status === 0, lasting: r.status === 0 || (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
  }));
