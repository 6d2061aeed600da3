// A clause of a protocol's spec, made executable: DESCRIPTION and EXPECTATION in words next
// to the generator of sessions and the oracle that judges them (as in Autobahn|Testsuite).
import type fc from 'fast-check';
import type { Conn } from './conn';
import type { DirChange } from './sandbox';
import type { Profile } from './protocol';

export type Level = 'MUST' | 'ROBUST' | 'ADVISORY';

export type Verdict =
  | 'pass'
  | 'wrong-answer'
  | 'crash'
  | 'hang'
  | 'busy-loop'
  | 'reset'
  | 'data-loss'
  | 'escape'
  | 'not-serving'
  | 'flood';

/** Verdicts that are never "just" the protocol's limits: they make an ADVISORY session ROBUST. */
export const HARMFUL: ReadonlySet<Verdict> = new Set(['crash', 'hang', 'busy-loop', 'reset', 'data-loss', 'escape', 'not-serving', 'flood']);

export interface Observation {
  verdict: Verdict;
  /** One sentence a beginner understands. */
  summary: string;
  expected?: string;
  observed?: string;
  /** The session failed at the step another clause checks (the welcome, the first reply): that clause's id. */
  precondition?: string;
  /** How to fix it, or how to tell sockspec about the server's variant, in one sentence. */
  hint?: string;
}

export const PASS: Observation = { verdict: 'pass', summary: 'as expected' };

/** What a clause's session may use: connections to the target and, when local, its files. */
export interface SessionContext<S = unknown> {
  profile: Profile;
  settings: S;
  /** Longest wait for any one expected step (a reply, a close). */
  stepMs: number;
  connect(): Promise<Conn>;
  /** Files created or changed in the server's working directory since the session began. */
  changes(): Promise<DirChange[]>;
  /** Whether the server's working directory can be inspected (not for --connect). */
  local: boolean;
  /** The harness-owned folder around the server's (absolute names in escape probes point here). */
  sandboxRoot?: string;
}

/** A clause's DESCRIPTION and EXPECTATION in one language. */
export interface ClauseText {
  description: string;
  expectation: string;
}

export interface Clause<I = any, S = any> {
  id: string;
  /** The level, or per profile when it differs (lesson limits are ADVISORY, framed MUST). */
  level: Level | { lesson: Level; framed: Level };
  profiles: readonly (Profile)[];
  /** The same texts in Chinese, for `--lang zh` (properties/clause-texts.test.ts checks every clause has them). */
  zh: ClauseText;
  description: string;
  expectation: string;
  /** The faults (names in faults/index.ts) its sessions deliver bytes with: `sockspec list` shows them. */
  faults?: readonly string[];
  /** Needs to see the server's files (upload oracles): skipped for remote targets. */
  needsFiles?: boolean;
  /** Whether the clause applies under these settings (an end-word clause needs an end word). */
  appliesTo?(settings: S, profile: Profile): boolean;
  arbitrary(profile: Profile, settings: S): fc.Arbitrary<I>;
  /**
   * Boundary cases, run before any random session (one-byte cuts, a cut inside a character or
   * a header, an early close right after the header, ...). A clause has run only when these did.
   */
  boundary?(profile: Profile, settings: S): I[];
  run(ctx: SessionContext<S>, input: I): Promise<Observation>;
}

export function levelOf(clause: Clause, profile: Profile): Level {
  return typeof clause.level === 'string' ? clause.level : clause.level[profile];
}
