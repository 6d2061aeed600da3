// The runner's plain-data results (schema versioned: see the README's "Results JSON").
import type { Level, Verdict } from '../clause';
import type { TranscriptEvent } from '../transcript';

export const RESULTS_SCHEMA = 'sockspec.results/1';

export interface ClauseResult {
  id: string;
  level: Level;
  /** ROBUST when an ADVISORY session crashed, hung or stopped the server: that is never advisory. */
  effectiveLevel: Level;
  description: string;
  expectation: string;
  /** 'not-run' when the time limit ran out first or the target cannot support the clause. */
  status: 'pass' | 'fail' | 'not-run';
  verdict: Verdict | 'not-run';
  summary: string;
  expected?: string;
  observed?: string;
  /** fast-check runs done (before shrinking). */
  runs: number;
  shrinks: number;
  seed: number;
  /** fast-check path of the shrunk counterexample: with the seed, replays it. */
  path?: string;
  /** The shrunk input, in the clause's own terms (JSON). */
  counterexample?: unknown;
  transcript?: TranscriptEvent[];
  stderrTail?: string;
  durationMs: number;
  /** Why a clause was not run. */
  skipped?: string;
  /** Recording of the counterexample, when saved. */
  recording?: string;
}

export interface RunResult {
  schema: typeof RESULTS_SCHEMA;
  sockspecVersion: string;
  protocol: string;
  profile: 'lesson' | 'framed';
  target: string;
  seed: number;
  runsPerClause: number;
  startedAt: string;
  durationMs: number;
  restarts: number;
  /** true when --time-limit stopped the run before every clause finished. */
  timedOut: boolean;
  settings: unknown;
  /** The assignment's variant in words (set by the command line). */
  variant?: string;
  clauses: ClauseResult[];
}

/** Exit status of a run: 1 when any MUST or ROBUST clause failed. */
export function hasFindings(r: RunResult): boolean {
  return r.clauses.some((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY');
}
