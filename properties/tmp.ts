// A test file's temporary folder, in a module of its own: the unit tests that need only this
// do not load what helpers.ts brings (the command line, the runner).
import type { Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary folder for a test file's results and recordings, removed after it (with `also`, run then too). */
export function testTmp(t: Test, name: string, also?: () => void): string {
  const tmp = mkdtempSync(path.join(tmpdir(), `sockspec-${name}-`));
  t.teardown(() => {
    rmSync(tmp, { recursive: true, force: true });
    also?.();
  });
  return tmp;
}
