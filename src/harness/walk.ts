// A folder tree walked without following links, skipping what cannot be read.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * Calls `visit` for every entry under `root`, `maxDepth` folders deep at most; a folder is
 * entered when `visit` returns true for it.
 */
export function walkTree(root: string, maxDepth: number, visit: (file: string, st: Stats, depth: number) => boolean | void): void {
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(dir, n);
      let st: Stats;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (visit(p, st, depth) === true && st.isDirectory() && depth < maxDepth) walk(p, depth + 1);
    }
  };
  walk(root, 0);
}
