// The server's working directory and the harness-owned folders around it, so that a write
// that escapes the working directory lands somewhere we watch (a confined server cannot write
// beyond them at all: those attempts are reported from what it printed).
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { onExit } from './targets/reaper';
import { walkTree } from './walk';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FileInfo {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface DirChange {
  /** Path relative to the working directory (may start with ../ for escapes); absolute for a refused write. */
  rel: string;
  abs: string;
  size: number;
  /** refused: a write outside the sandbox that the confinement stopped (nothing landed). */
  kind: 'created' | 'changed' | 'refused';
}

export type Snapshot = Map<string, FileInfo>;

/** Every regular file below `root`, by absolute path. */
export function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  walkTree(root, 16, (p, st) => {
    if (st.isFile()) out.set(p, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
    return st.isDirectory();
  });
  return out;
}

export function diffSnapshots(before: Snapshot, after: Snapshot, relativeTo: string): DirChange[] {
  const out: DirChange[] = [];
  for (const [abs, info] of after) {
    const old = before.get(abs);
    if (old && old.size === info.size && old.mtimeMs === info.mtimeMs && old.ino === info.ino) continue;
    out.push({ abs, rel: path.relative(relativeTo, abs), size: info.size, kind: old ? 'changed' : 'created' });
  }
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

/**
 * A fresh sandbox: root/ (harness-owned, watched) > jail/ > work/ (the server's cwd).
 * Names like ../../x from work/files/ still land inside root, where they are seen.
 */
export class Sandbox {
  readonly root: string;
  readonly work: string;
  /** Writes outside the sandbox the confinement refused, as the program reported them (a confined target sets this). */
  refusedWrites: () => string[] = () => [];
  private reported = new Set<string>();
  /** Takes it off the exit path's cleanups once removed. */
  private untrack: (() => void) | undefined;
  /** Unless kept (--keep), removed when sockspec exits first (an EPIPE, a signal) too. */
  constructor(opts: { keep?: boolean } = {}) {
    this.root = mkdtempSync(path.join(tmpdir(), 'sockspec-'));
    this.work = path.join(this.root, 'jail', 'work');
    mkdirSync(this.work, { recursive: true });
    if (!opts.keep) this.untrack = onExit(() => this.remove());
  }
  /** Files created or changed outside the working directory since `before`, and writes beyond the sandbox refused since last asked. */
  escapes(before: Snapshot): DirChange[] {
    const landed = diffSnapshots(before, snapshot(this.root), this.work).filter((c) => c.rel.startsWith('..'));
    const refused = this.refusedWrites().filter((abs) => !this.reported.has(abs));
    for (const abs of refused) this.reported.add(abs);
    return [...landed, ...refused.map((abs): DirChange => ({ abs, rel: abs, size: 0, kind: 'refused' }))];
  }
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
    this.untrack?.();
    this.untrack = undefined;
  }
}
