// Every process group we start is killed when sockspec exits, Ctrl-C included.
import { processGroupPids } from '../proc';

const groups = new Set<number>();
const cleanups = new Set<() => void>();
let installed = false;

export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits, blocking (on the way out there is no event loop to wait in), until `alive()` is false or
 * `ms` have passed. A SIGKILLed process dies when it next runs: on a loaded machine a server's
 * forked children outlived sockspec's exit by a few milliseconds.
 */
export function untilGoneSync(alive: () => boolean, ms = 2000): void {
  const end = Date.now() + ms;
  while (alive() && Date.now() < end) Atomics.wait(pause, 0, 0, 5);
}

function reapAll(): void {
  const killed = [...groups];
  for (const g of killed) killGroup(g);
  groups.clear();
  for (const c of cleanups) {
    try {
      c();
    } catch {
      // best effort on the way out
    }
  }
  cleanups.clear();
  // Killed again at each look: a fork that was under way at the first kill is caught too.
  untilGoneSync(() => {
    killed.forEach(killGroup);
    return killed.some((g) => processGroupPids(g).length > 0);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', reapAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      reapAll();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

export function trackGroup(pgid: number): void {
  install();
  groups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

/** Runs `fn` on exit or interruption (removing temporary folders). Returns an untrack function. */
export function onExit(fn: () => void): () => void {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
