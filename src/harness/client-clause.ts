// A clause about a student's client, with sockspec playing the server: the same shape as a
// server clause (id, level, texts, generator, boundary cases), but its session is the server's
// side of one conversation with a freshly started client, whose stdin the clause scripts.
import type fc from 'fast-check';
import type { Level, Observation } from './clause';
import type { Endpoint } from './endpoint';
import type { Profile } from './protocol';

export interface ClientScript {
  /** What the client reads on stdin (its `input()` answers), closed after. */
  stdin: string;
  /** Files written into the client's working folder first (what an upload client sends). */
  files?: Record<string, Buffer>;
}

export interface ClientSessionContext<S = unknown> {
  profile: Profile;
  settings: S;
  /** Longest wait for any one expected step (the client's connection, its next message). */
  stepMs: number;
  /** The client's next connection to sockspec, or undefined when none came within a step. */
  accept(): Promise<Endpoint | undefined>;
  /** The client's working folder (absolute): files of the script are here. */
  workDir: string;
}

/** What the played server saw; the runner adds what the client printed and how it ended. */
export interface ClientObservation extends Observation {
  /** Texts the client must have printed whole (its replies); checked on its stdout. */
  printed?: string[];
  /** The played server closed or reset the connection (or saw the client close): the client must now exit. */
  over: boolean;
}

export interface ClientClause<I = any, S = any> {
  id: string;
  level: Level | { lesson: Level; framed: Level };
  profiles: readonly Profile[];
  description: string;
  expectation: string;
  zh: { description: string; expectation: string };
  /** Names of the faults (faults/index.ts) the clause applies to the server's writes. */
  faults?: readonly string[];
  appliesTo?(settings: S, profile: Profile): boolean;
  arbitrary(profile: Profile, settings: S): fc.Arbitrary<I>;
  boundary?(profile: Profile, settings: S): I[];
  /** The client's stdin and files for this session. */
  script(input: I, settings: S, profile: Profile): ClientScript;
  /** Plays the server's side of the conversation. */
  run(ctx: ClientSessionContext<S>, input: I): Promise<ClientObservation>;
}
