// Asks the kernel about one TCP connection on this machine (state, unread and unsent bytes)
// through a small python3 helper speaking netlink sock_diag: an exact lookup takes
// microseconds where /proc/net/tcp walks the whole hash table (milliseconds here).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { knownPython } from './python';

export interface SockInfo {
  /** Linux TCP state: 1 ESTABLISHED, 6 TIME_WAIT, 8 CLOSE_WAIT, 9 LAST_ACK, ... */
  state: number;
  /** Bytes received but not read by the owning process. */
  unread: number;
  /** Bytes sent but not acknowledged. */
  unacked: number;
  /** The socket's inode; 0 once no process holds it (closed by its owner, or TIME_WAIT). */
  inode: number;
}

export const TCP_FIN_WAIT1 = 4;
export const TCP_FIN_WAIT2 = 5;
export const TCP_LISTEN = 10;

let helper: ChildProcess | undefined;
let broken = false;
const pending: ((line: string) => void)[] = [];

function start(): ChildProcess | undefined {
  if (helper || broken) return helper;
  try {
    // The real interpreter when a spawned server's command already found it (no launcher to run
    // again); -S: the helper needs only the standard library, and a site's .pth files (here one
    // imports certifi) tripled its start.
    const child = spawn(knownPython('python3') ?? 'python3', ['-S', path.join(__dirname, 'sockdiag.py')], { stdio: ['pipe', 'pipe', 'ignore'] });
    // What an old helper (stopped) says or does no longer concerns the questions of a new one.
    const current = () => helper === child;
    child.on('error', () => current() && fail());
    child.on('exit', () => current() && fail());
    child.stdin!.on('error', () => current() && fail());
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (!current()) return;
      pending.shift()?.(l);
      if (pending.length === 0) holdOpen(child, false);
    });
    child.unref();
    holdOpen(child, false);
    helper = child;
  } catch {
    fail();
  }
  return helper;
}

/** The helper keeps sockspec alive only while a question is waiting for its answer. */
function holdOpen(child: ChildProcess, hold: boolean): void {
  for (const s of [child.stdout, child.stdin] as unknown as { ref(): void; unref(): void }[]) {
    if (hold) s.ref();
    else s.unref();
  }
}

function fail(): void {
  broken = true;
  helper = undefined;
  for (const p of pending.splice(0)) p('?');
}

/** What the kernel knows of the loopback connection (localPort → remotePort); null when it has none. undefined when it cannot be asked. */
export function sockInfo(localPort: number, remotePort: number, family: 4 | 6 = 4): Promise<SockInfo | null | undefined> {
  const h = start();
  if (!h) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    pending.push((line) => {
      if (line === '?') return resolve(undefined);
      if (line === '-') return resolve(null);
      const [state, unread, unacked, inode] = line.split(' ').map(Number);
      resolve({ state, unread, unacked, inode });
    });
    holdOpen(h, true);
    h.stdin!.write(`${family} ${localPort} ${remotePort}\n`);
  });
}

/** Ends the helper (a test's teardown, the bench); otherwise it ends with this process, when its stdin closes. */
export function stopSockDiag(): void {
  const h = helper;
  helper = undefined;
  if (!h) return;
  // A stop, not a failure: a later question starts a new helper.
  for (const p of pending.splice(0)) p('?');
  h.kill();
}
