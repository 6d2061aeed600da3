// Test helpers: run a built-in server through the runner with a fixed seed.
import { Runner, type RunOptions } from '../src/harness/runner';
import type { RunResult } from '../src/harness/runner/results';
import { InProcessTarget } from '../src/harness/targets/in-process';
import { findBuiltin, findProtocol, prepareDirFor } from '../src/protocols';
import type { Profile } from '../src/protocols/types';

/** CI fixes the seed; a local run may set SOCKSPEC_SEED to explore. */
export const SEED = Number(process.env.SOCKSPEC_SEED ?? 20261124);

/** Runs the built-in `name` under `settings` (its protocol's defaults when none are given). */
export async function runBuiltin(name: string, profile: Profile, opts: Partial<RunOptions> = {}, given?: unknown): Promise<RunResult> {
  const builtin = findBuiltin(name);
  if (!builtin) throw new Error(`no built-in ${name}`);
  const protocol = findProtocol(builtin.protocol)!;
  const settings = given ?? protocol.defaults;
  const target = new InProcessTarget(builtin, profile, settings, prepareDirFor(protocol, settings));
  try {
    return await new Runner(protocol, profile, settings, target, { seed: SEED, runs: 8, stepMs: 1000, timeLimitMs: 120_000, shrinkRuns: 30, ...opts }).run();
  } finally {
    await target.stop();
  }
}

export function verdicts(r: RunResult): Record<string, string> {
  return Object.fromEntries(r.clauses.map((c) => [c.id, c.verdict]));
}
