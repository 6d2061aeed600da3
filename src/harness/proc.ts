// Linux /proc readings: socket queues (to pace segments until the server has read them),
// listening sockets (readiness without connecting), CPU time (busy loops) and the processes of
// a spawned server (its process group, or its PID namespace when confined).
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';

interface TcpRow {
  localPort: number;
  /** As the table writes it: hex, IPv4 one little-endian word, IPv6 four. */
  localHex: string;
  state: number;
  inode: number;
}

const TCP_LISTEN = 0x0a;

/** Hosts on this machine, whose sockets the kernel tables describe. */
export const isLoopback = (host: string) => host === 'localhost' || host.startsWith('127.') || host === '::1';

function readTcpTable(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const f = lines[i].trim().split(/\s+/);
      if (f.length < 10) continue;
      const colon = f[1].lastIndexOf(':');
      rows.push({ localPort: parseInt(f[1].slice(colon + 1), 16), localHex: f[1].slice(0, colon), state: parseInt(f[3], 16), inode: Number(f[9]) });
    }
  }
  return rows;
}

/** Inodes of sockets listening on `port` (IPv4 or IPv6). */
export function listeningInodes(port: number): Set<number> {
  const out = new Set<number>();
  for (const r of readTcpTable()) if (r.state === TCP_LISTEN && r.localPort === port) out.add(r.inode);
  return out;
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
  } catch {
    return [];
  }
}

/**
 * A /proc file read through one reused buffer. readFileSync sees a size of 0 there and
 * allocates 64 KiB for each read: a scan of every process, twice a session, spent a fifth of a
 * run's CPU on it. Read to the end: a read may stop short of a full buffer before it (a
 * children list of 1200 pids came back 518 pids short when the first short read was taken as
 * the end).
 */
const procBuf = Buffer.alloc(4096);
function readProcFile(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let text = '';
    for (let n; (n = readSync(fd, procBuf, 0, procBuf.length, null)) > 0; ) text += procBuf.toString('latin1', 0, n);
    return text;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Live pids whose stat matches `keep`. */
function pidsWhere(keep: (s: Stat, pid: number) => boolean): number[] {
  return allPids().filter((pid) => {
    const stat = readStat(pid);
    return !!stat && stat.state !== 'Z' && keep(stat, pid);
  });
}

let childrenFiles: boolean | undefined;
/** Whether this kernel lists each thread's children (/proc/PID/task/TID/children, CONFIG_PROC_CHILDREN). */
function hasChildrenFiles(): boolean {
  return (childrenFiles ??= existsSync(`/proc/${process.pid}/task/${process.pid}/children`));
}

/**
 * `root` and its live descendants, found from each process's children lists: a few files per
 * process of the program, where a scan reads every process of the machine. Undefined where the
 * kernel has no children lists. A process that left the tree (reparented to init after its
 * parent died) is not found: callers use it where that cannot happen unseen (confined in a PID
 * namespace, whose orphans go to its init, below root) or add what a cgroup holds.
 */
export function descendantPids(root: number): number[] | undefined {
  if (!hasChildrenFiles()) return undefined;
  const out: number[] = [];
  const seen = new Set<number>();
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone
    }
    const stat = readStat(pid);
    if (!stat) continue;
    // A zombie is gone, unless only its main thread ended and other threads still run (and fork).
    if (stat.state !== 'Z' || tasks.length > 1) out.push(pid);
    for (const tid of tasks) {
      for (const c of readProcFile(`/proc/${pid}/task/${tid}/children`)?.split(' ') ?? []) if (/^\d+$/.test(c)) todo.push(Number(c));
    }
  }
  return out;
}

/** Pids whose process group is `pgid` (the spawned server and every child it forked). */
export function processGroupPids(pgid: number): number[] {
  return pidsWhere((s) => s.pgrp === pgid);
}

/** Live children of `ppid`. */
export function childPids(ppid: number): number[] {
  return pidsWhere((s) => s.ppid === ppid);
}

/** The PID namespace of `pid` (like `pid:[4026532281]`), or undefined once it is gone. */
export function pidNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** The first PID namespace among `pids` other than this process's own (a confined program's, through bwrap's child). */
export function namespaceAmong(pids: readonly number[]): string | undefined {
  const own = pidNamespaceOf(process.pid);
  for (const pid of pids) {
    const ns = pidNamespaceOf(pid);
    if (ns && ns !== own) return ns;
  }
  return undefined;
}

/**
 * A process never changes its PID namespace: each one's is read once, known by its pid and
 * start time (a pid used again is another process).
 */
const namespaces = new Map<number, { start: string; ns: string | undefined }>();
function cachedNamespaceOf(pid: number, start: string): string | undefined {
  const known = namespaces.get(pid);
  if (known?.start === start) return known.ns;
  const ns = pidNamespaceOf(pid);
  if (namespaces.size > 65_536) namespaces.clear();
  if (ns !== undefined) namespaces.set(pid, { start, ns });
  return ns;
}

/**
 * Host pids of every live process in the PID namespace `ns`: a confined server and whatever it
 * forked, even a child that left the process group (setsid) to outlive a group kill.
 */
export function namespacePids(ns: string): number[] {
  return pidsWhere((s, pid) => cachedNamespaceOf(pid, s.start) === ns);
}

/** Pids of a spawned program: its process group `pgid`, and every process of its PID namespace `ns` when confined. */
export function programPids(pgid: number, ns: string | undefined): number[] {
  return pidsWhere((s, pid) => s.pgrp === pgid || (ns !== undefined && cachedNamespaceOf(pid, s.start) === ns));
}

interface Stat {
  state: string;
  ppid: number;
  pgrp: number;
  ticks: number;
  /** When the process started (clock ticks since boot), as written. */
  start: string;
}

function readStat(pid: number): Stat | undefined {
  const text = readProcFile(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]), start: f[19] };
}

/** Socket inodes held open by `pid`. */
export function socketInodesOf(pid: number): Set<number> {
  const out = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // the fd closed while we looked
    }
  }
  return out;
}

/** True when one of `pids` holds a socket listening on `port`. */
export function listensOn(pids: readonly number[], port: number): boolean {
  const listening = listeningInodes(port);
  if (listening.size === 0) return false;
  for (const pid of pids) {
    for (const inode of socketInodesOf(pid)) if (listening.has(inode)) return true;
  }
  return false;
}

/** True when some process of the group holds a socket listening on `port`. */
export const groupListensOn = (pgid: number, port: number) => listensOn(processGroupPids(pgid), port);

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU demand of the live processes `pids` so far, in seconds: the time their threads ran on a
 * CPU or waited in a run queue for one (/proc/PID/task/TID/schedstat). A busy loop demands a
 * whole CPU whatever the load: CPU time alone is the share the other processes leave it, and
 * with several graders on two cores a spinning server got under half a core and was judged
 * hung. Without schedstat (a kernel built without it), CPU time (user + system) from stat.
 */
export function cpuSecondsOf(pids: readonly number[]): number {
  return cpuUseOf(pids).demand;
}

/** CPU demand share above which a server that did not answer is reported as spinning, not waiting. */
const BUSY_SHARE = 0.5;
/**
 * ...provided it also ran this share of the time: a spinner gets a fair share of its core, a
 * quarter when four share one, and on a loaded machine (the suite's other files beside them)
 * 0.14 was seen, once 0.08 (four on one core beside a fresh clone's whole suite); a server
 * blocked in recv runs a few hundredths (0.01 to 0.03 seen), however long its wake-ups wait.
 */
const RUN_SHARE = 0.05;
/** A run share that no server blocked in recv reaches, whatever the load (a spinner with a core of its own runs 1.0). */
const CLEAR_RUN = 0.5;
/**
 * Shares of one CPU over a session that make a busy loop: demanding most of a CPU (running, or
 * waiting to run on a loaded machine) and really running a fair part of it. A server blocked
 * in recv runs almost nothing, however long its many short wake-ups wait in a busy run queue.
 * Under a fair part of a CPU, the run share alone does not tell: beside the whole suite (a load
 * of 10 on two cores) a correct forking bot was once called a busy loop after a session of
 * paced segments (its shares were not kept: a child's fork and its work at each segment can run
 * a tenth of a short session, each wake-up waiting long in the run queue, which is as much as a
 * spinner gets there). What tells is how its time on a CPU ended: a spinner never
 * blocks and is preempted at the end of each slice, a correct server blocks in recv after each
 * wake-up. So there, the threads must have been preempted at least twice as often as they
 * blocked (context switches, when the kernel counts them).
 */
export const spinsAt = (share: CpuUse) =>
  share.demand > BUSY_SHARE && share.run > RUN_SHARE && (share.run >= CLEAR_RUN || !share.switches || share.switches.preempts >= 2 * share.switches.blocks);

/**
 * CPU use of `pids` so far: seconds on a CPU, and of demand (on a CPU or waiting in a run queue
 * for one); with how often their threads blocked (voluntary context switches) and were
 * preempted (involuntary ones), where the kernel says.
 */
export interface CpuUse {
  run: number;
  demand: number;
  switches?: Switches;
}

/** Context switches: blocked (voluntary), preempted (involuntary). */
export interface Switches {
  blocks: number;
  preempts: number;
}

/** The shares of one CPU between two readings `wallSec` apart (the switches: how many in between). */
export function shareOf(c0: CpuUse | undefined, c1: CpuUse | undefined, wallSec: number): CpuUse {
  if (!c0 || !c1 || wallSec <= 0) return { run: 0, demand: 0 };
  const [s0, s1] = [c0.switches, c1.switches];
  return { run: (c1.run - c0.run) / wallSec, demand: (c1.demand - c0.demand) / wallSec, switches: s0 && s1 && { blocks: s1.blocks - s0.blocks, preempts: s1.preempts - s0.preempts } };
}

export function cpuUseOf(pids: readonly number[]): CpuUse {
  const use: CpuUse = { run: 0, demand: 0, switches: { blocks: 0, preempts: 0 } };
  for (const pid of pids) {
    const s = schedSecondsOf(pid);
    const ticks = s ? undefined : (readStat(pid)?.ticks ?? 0) / TICKS_PER_SECOND;
    use.run += s?.run ?? ticks!;
    use.demand += s ? s.run + s.wait : ticks!;
    use.switches = use.switches && s?.switches && addSwitches(use.switches, s.switches);
  }
  return use;
}

const addSwitches = (a: Switches, b: Switches): Switches => ({ blocks: a.blocks + b.blocks, preempts: a.preempts + b.preempts });

/** A thread's context switches, from its /proc status. */
function switchesIn(status: string | undefined): Switches | undefined {
  const vol = status && /^voluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  const invol = status && /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  return vol && invol ? { blocks: Number(vol[1]), preempts: Number(invol[1]) } : undefined;
}

function schedSecondsOf(pid: number): { run: number; wait: number; switches?: Switches } | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let run = 0;
  let wait = 0;
  let switches: Switches | undefined = { blocks: 0, preempts: 0 };
  let seen = false;
  for (const tid of tids) {
    // "run-ns wait-ns timeslices": the first two are the time on a CPU and in a run queue.
    const text = readProcFile(`/proc/${pid}/task/${tid}/schedstat`);
    if (text === undefined) continue; // the thread ended between the listing and the read
    const [r, w] = text.split(' ');
    run += Number(r);
    wait += Number(w);
    seen = true;
    // Not counted here (or the thread just ended): the shares decide alone.
    const thread: Switches | undefined = switches && switchesIn(readProcFile(`/proc/${pid}/task/${tid}/status`));
    switches = switches && thread && addSwitches(switches, thread);
  }
  return seen ? { run: run / 1e9, wait: wait / 1e9, switches } : undefined;
}

/** CPU seconds (user + system) used so far by the live processes of a group. */
export const groupCpuSeconds = (pgid: number) => cpuSecondsOf(processGroupPids(pgid));

/** The inodes of every socket `pids` hold. */
function socketInodesOfAll(pids: readonly number[]): Set<number> {
  const inodes = new Set<number>();
  for (const pid of pids) for (const i of socketInodesOf(pid)) inodes.add(i);
  return inodes;
}

/** Ports `pids` are listening on (to tell a user their server ignored {port}). */
export function listeningPortsOf(pids: readonly number[]): number[] {
  const inodes = socketInodesOfAll(pids);
  const ports = new Set<number>();
  for (const r of readTcpTable()) if (r.state === TCP_LISTEN && inodes.has(r.inode)) ports.add(r.localPort);
  return [...ports];
}

/** A /proc/net/tcp address in words: 127.0.0.1, ::1, 2001:db8::5. */
export function tableAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  // The URL parser writes an IPv6 address in its short form (RFC 5952: the longest zero run as "::").
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** The addresses at which `pids` listen on `port` (for a server that cannot be reached at 127.0.0.1). */
export function listeningAddressesOf(pids: readonly number[], port: number): string[] {
  const rows = readTcpTable().filter((r) => r.state === TCP_LISTEN && r.localPort === port);
  if (rows.length === 0) return [];
  const inodes = socketInodesOfAll(pids);
  return [...new Set(rows.filter((r) => inodes.has(r.inode)).map((r) => tableAddress(r.localHex)))];
}

/** Ports the processes of a group are listening on. */
export const groupListeningPorts = (pgid: number) => listeningPortsOf(processGroupPids(pgid));
