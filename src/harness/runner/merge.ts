// Results files read back and put together: many runs (a class, or shards of one run), and the
// clause slice one shard runs.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { RESULTS_SCHEMA, unfinished, type RunResult } from './results';

/** The runs in a results file (one run, or an array of runs). */
export function loadResults(file: string): RunResult[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${file} as JSON results: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const runs = Array.isArray(data) ? data : [data];
  for (const r of runs) {
    if (!r || (r as RunResult).schema !== RESULTS_SCHEMA || !Array.isArray((r as RunResult).clauses)) throw new UsageError(`${file} is not a sockspec results file (schema ${RESULTS_SCHEMA})`);
  }
  return runs as RunResult[];
}

/** Shards of one run (same target, protocol, profile and seed) become one column again; it is complete when its clauses are. */
export function mergeShards(runs: readonly RunResult[]): RunResult[] {
  const byKey = new Map<string, RunResult>();
  for (const r of runs) {
    const key = [r.target, r.protocol, r.profile, r.seed].join('|');
    const prev = byKey.get(key);
    if (!prev) byKey.set(key, { ...r, clauses: [...r.clauses] });
    else for (const c of r.clauses) if (!prev.clauses.some((x) => x.id === c.id)) prev.clauses.push(c);
  }
  const merged = [...byKey.values()];
  for (const r of merged) r.complete = !unfinished(r).length;
  return merged;
}

/** `--shard i/n`: every n-th of `ids`, starting at the i-th (a deterministic slice). */
export function shardOf<T>(ids: readonly T[], spec: string): T[] {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard takes i/n with 1 <= i <= n, not "${spec}"`);
  const [i, n] = [Number(m[1]), Number(m[2])];
  return ids.filter((_, k) => k % n === i - 1);
}
