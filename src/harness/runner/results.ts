// The runner's plain-data results (schema versioned: see the README's "Results JSON").
import type { ClauseText, Level, Verdict } from '../clause';
import type { RecordedClient } from '../recording/schema';
import type { Isolation } from '../targets/confine';
import type { Limits } from '../targets/limits';
import type { TranscriptEvent } from '../transcript';

export const RESULTS_SCHEMA = 'sockspec.results/1';

/** `skipped` of a clause the time limit left without a session (others say what the target lacks). */
export const CUT_BY_TIME = 'time limit';

export type ClauseStatus = 'pass' | 'fail' | 'not-run' | 'not-applicable' | 'blocked';

/** The polite session that opens every run: it times the server and finds a missing first step. */
export interface PoliteResult {
  verdict: Verdict;
  summary: string;
  /** When it failed: the clause whose step it failed at. */
  precondition?: string;
  /** The slowest reply seen, in ms (from the client's last step to the server's next bytes). */
  slowestReplyMs?: number;
  /** The step deadline the run then used. */
  stepMs: number;
  durationMs: number;
}

export interface ClauseResult {
  id: string;
  /** What was tested: a server (the default; sockspec played the client) or a client (fuzz-client). */
  tested?: 'server' | 'client';
  level: Level;
  /** ROBUST when an ADVISORY session crashed, hung or stopped the server: that is never advisory. */
  effectiveLevel: Level;
  description: string;
  expectation: string;
  /** The clause's texts in Chinese (absent from results written before there were any: reports show the English). */
  zh?: ClauseText;
  /**
   * 'not-run' when the time limit ran out first or the target cannot support the clause;
   * 'not-applicable' when the variant has no such thing; 'blocked' when a clause it needs failed.
   */
  status: ClauseStatus;
  verdict: Verdict | Exclude<ClauseStatus, 'pass' | 'fail'>;
  summary: string;
  /** How to fix the finding, or how to describe the server's variant. */
  hint?: string;
  /** blocked: the clause whose failure this one needs. */
  blockedBy?: string;
  expected?: string;
  observed?: string;
  /** Sessions judged (before shrinking). */
  runs: number;
  /** Sessions planned (boundary cases included). */
  plannedRuns?: number;
  /** Boundary cases among them (run first). */
  boundaryCases?: number;
  shrinks: number;
  seed: number;
  /** fast-check path of the shrunk counterexample: with the seed, replays it. */
  path?: string;
  /** The shrunk input, in the clause's own terms (JSON). */
  counterexample?: unknown;
  transcript?: TranscriptEvent[];
  stderrTail?: string;
  /** A client's finding: the stdin it was given and the files written into its folder (its recording keeps them for replay). */
  client?: RecordedClient;
  durationMs: number;
  /** Why a clause did not (fully) run: set on not-run, not-applicable and blocked clauses, and on passes cut short before their boundary cases. */
  skipped?: string;
  /** Recording of the counterexample, when saved. */
  recording?: string;
}

export interface RunResult {
  schema: typeof RESULTS_SCHEMA;
  /** What was tested: a server (the default) or a student's client with sockspec as its server. */
  tested?: 'server' | 'client';
  sockspecVersion: string;
  protocol: string;
  profile: 'lesson' | 'framed';
  target: string;
  seed: number;
  runsPerClause: number;
  startedAt: string;
  durationMs: number;
  /** When every clause had its verdict (boundary cases run, or failed): what followed was random exploration. */
  verdictMs?: number;
  restarts: number;
  /** true when --time-limit stopped the run before every clause finished. */
  timedOut: boolean;
  /** Every MUST and ROBUST clause that applies failed or ran at least its boundary cases (else exit 4). */
  complete?: boolean;
  timeLimitMs?: number;
  /** The step deadline used: the user's, or more for a slow server (from the polite session). */
  stepMs?: number;
  polite?: PoliteResult;
  settings: unknown;
  /** The assignment's variant in words (set by the command line). */
  variant?: string;
  /** A spawned server: confined by bubblewrap, or not at all (--no-isolation, or bubblewrap missing). */
  isolation?: Isolation;
  /** A spawned server: the resource limits it ran under. */
  limits?: Limits;
  clauses: ClauseResult[];
}

/** Exit status of a run: 1 when any MUST or ROBUST clause failed. */
export function hasFindings(r: RunResult): boolean {
  return r.clauses.some((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY');
}

/** Exit codes of fuzz (README, --help). */
export const EXIT = { passed: 0, findings: 1, usage: 2, internal: 3, incomplete: 4 } as const;

/** 1 findings, else 4 when a MUST or ROBUST clause did not run (no verdict of "pass"), else 0. */
export function exitCodeOf(runs: readonly RunResult[]): number {
  if (runs.some(hasFindings)) return EXIT.findings;
  return runs.every((r) => r.complete !== false) ? EXIT.passed : EXIT.incomplete;
}

/** Clauses that keep a run from being complete: MUST/ROBUST ones that neither failed nor ran their boundary cases. */
export function unfinished(r: RunResult): ClauseResult[] {
  return r.clauses.filter((c) => c.level !== 'ADVISORY' && c.status !== 'not-applicable' && c.status !== 'fail' && (c.status !== 'pass' || !!c.skipped));
}
