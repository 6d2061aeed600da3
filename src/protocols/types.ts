// What every lesson protocol provides to the harness. The harness itself knows no protocol.
import type { Clause, Observation, SessionContext } from '../harness/clause';

export type Profile = 'lesson' | 'framed';
export const PROFILES: readonly Profile[] = ['lesson', 'framed'];

/** The strings a course uses; the course's own are the defaults. */
export interface Settings {
  /** The hello server's reply (the other seed version uses `Hello, client!`). */
  helloReply: string;
}

export const DEFAULT_SETTINGS: Settings = { helloReply: 'hello world' };

export interface ServerConfig {
  profile: Profile;
  /** The server's working directory: uploads land here, auth reads db.csv from here. */
  dir: string;
  settings: Settings;
}

/** Observable state of an in-process server; the variants use it to mimic a dying process. */
export interface ServerState {
  /** Set when a lesson-faithful variant "crashed": the Python-style traceback it would print. */
  crashed?: string;
  /** Set when a variant exited cleanly on its own (the single-shot upload server). */
  exited?: boolean;
  /** Set when a variant is stuck in a loop that would burn a CPU (recv returning b'' forever). */
  spinning?: boolean;
}

export interface RunningServer {
  readonly port: number;
  readonly state: ServerState;
  close(): Promise<void>;
}

export type ServerFactory = (cfg: ServerConfig) => Promise<RunningServer>;

/** A server that can run in-process: a reference server or a lesson-faithful variant. */
export interface BuiltinServer {
  name: string;
  protocol: string;
  profiles: readonly Profile[];
  /** true for lesson-faithful variants (they are expected to fail). */
  faithful: boolean;
  description: string;
  /** Clause ids this variant must fail, with the verdict it must get (non-vacuity). */
  expectedFailures: Partial<Record<Profile, Record<string, string>>>;
  start: ServerFactory;
}

export interface Protocol {
  name: string;
  title: string;
  profiles: readonly Profile[];
  clauses: readonly Clause[];
  builtins: readonly BuiltinServer[];
  /** A short polite session: is the server (still) serving clients? */
  probe(ctx: SessionContext<Settings>): Promise<Observation>;
  /** The course's server may exit after one session (the single-shot upload server): restart it. */
  cleanExitAllowed?: boolean;
  /** Writes the files the server needs in its working directory (auth: db.csv). */
  prepareDir?(dir: string): void;
}
