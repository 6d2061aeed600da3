// Every process group we start is killed when sockspec exits, Ctrl-C included.
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

function reapAll(): void {
  for (const g of groups) killGroup(g);
  groups.clear();
  for (const c of cleanups) {
    try {
      c();
    } catch {
      // best effort on the way out
    }
  }
  cleanups.clear();
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
