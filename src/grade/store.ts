// What grade keeps of each submission in OUT/students/NAME/: meta.json says what was graded
// (the source hash, the flags, the sockspec that graded it) so that a re-run reuses the result
// when nothing changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../harness/version';

export const META_SCHEMA = 'sockspec.grade-meta/1';

export interface Meta {
  schema: typeof META_SCHEMA;
  name: string;
  /** sha256 of sourceHash, flagsKey, version and build: a stored result is reused only when it matches. */
  key: string;
  sourceHash: string;
  flagsKey: string;
  version: string;
  build: string;
  entry?: string;
  port?: number;
  command?: string;
  notes: string[];
  /** fuzz's exit code (0, 1, 4), or 2 when the server could not be started. */
  exitCode?: number;
  error?: string;
  gradedAt: string;
  durationMs: number;
}

const ROOT = path.join(__dirname, '..', '..');

let build: string | undefined;
/**
 * The sockspec that grades: its version and a hash of the sources that make verdicts, so that
 * a checkout that changed without a new version number does not reuse results of the old code.
 */
export function buildId(): string {
  // SOCKSPEC_BUILD_ID pins it (tests grading twice while sockspec's own sources are being edited).
  if (process.env.SOCKSPEC_BUILD_ID) return process.env.SOCKSPEC_BUILD_ID;
  if (build) return build;
  const h = createHash('sha256').update(VERSION);
  // Reports and grade itself are rebuilt on every run: only what makes verdicts counts.
  const rebuilt = [path.join(ROOT, 'src', 'harness', 'report'), path.join(ROOT, 'src', 'grade')];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (rebuilt.includes(p)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|py|json)$/.test(n)) h.update(path.relative(ROOT, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(path.join(ROOT, 'src'));
  return (build = h.digest('hex').slice(0, 16));
}

export const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/**
 * The flags that decide verdicts, in a stable form; a flag that names a file counts by the
 * file's contents, not its path (a shard on another machine has it elsewhere).
 */
export function flagsKey(flags: Record<string, unknown>, fileFlags: readonly string[]): string {
  const entries = Object.entries(flags)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, fileFlags.includes(k) && typeof v === 'string' ? (existsSync(v) ? `sha256:${sha256(readFileSync(v))}` : `missing:${v}`) : v]);
  return sha256(JSON.stringify(entries));
}

export function resultKey(m: Pick<Meta, 'sourceHash' | 'flagsKey' | 'version' | 'build' | 'entry' | 'port'>): string {
  return sha256(JSON.stringify([m.sourceHash, m.flagsKey, m.version, m.build, m.entry ?? null, m.port ?? null]));
}

export function readMeta(dir: string): Meta | undefined {
  try {
    const m = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
    return m.schema === META_SCHEMA ? m : undefined;
  } catch {
    return undefined;
  }
}
