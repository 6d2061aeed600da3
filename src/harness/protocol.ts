// What a protocol provides to the harness, with its settings as an opaque value S: the harness
// runs clauses, probes and built-in servers through this contract and knows no protocol.
import type { Clause, Observation, SessionContext } from './clause';
import type { ClientClause } from './client-clause';

export type Profile = 'lesson' | 'framed';
export const PROFILES: readonly Profile[] = ['lesson', 'framed'];

export interface ServerConfig<S = unknown> {
  profile: Profile;
  /** The server's working directory: uploads land here, auth reads db.csv from here. */
  dir: string;
  settings: S;
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

export type ServerFactory<S = unknown> = (cfg: ServerConfig<S>) => Promise<RunningServer>;

/** A server that can run in-process: a reference server or a lesson-faithful variant. */
export interface BuiltinServer<S = unknown> {
  name: string;
  protocol: string;
  profiles: readonly Profile[];
  /** true for lesson-faithful variants (they are expected to fail). */
  faithful: boolean;
  description: string;
  /** Clause ids this variant must fail, with the verdict it must get (non-vacuity; `blocked` where another clause is the root cause). */
  expectedFailures: Partial<Record<Profile, Record<string, string>>>;
  start: ServerFactory<S>;
}

export interface Protocol<S = unknown> {
  name: string;
  title: string;
  profiles: readonly Profile[];
  clauses: readonly Clause<any, S>[];
  /** Clauses about a student's client, sockspec playing the server (`fuzz-client`). */
  clientClauses?: readonly ClientClause<any, S>[];
  builtins: readonly BuiltinServer<S>[];
  /** A short polite session: is the server (still) serving clients? */
  probe(ctx: SessionContext<S>): Promise<Observation>;
  /**
   * The polite session that opens a run, with at least one request and reply (it times the
   * server); a failure names the clause whose step it failed at (`precondition`). Default: probe.
   */
  polite?(ctx: SessionContext<S>): Promise<Observation>;
  /** The course's server may exit after one session (the single-shot upload server): restart it. */
  cleanExitAllowed?: boolean;
  /** Its oracles look at the files the server stores (ctx.changes()): each session snapshots the working folder first. */
  storesFiles?: boolean;
  /** Writes the files the server needs in its working directory (auth: db.csv, or a copy of the student's). */
  prepareDir?(dir: string, settings: S): void;
}
