// A target is a server under test: in-process, a spawned command, or a remote host:port.
import type { CpuUse } from '../proc';
import type { Sandbox } from '../sandbox';
import type { Isolation } from './confine';
import type { Limits } from './limits';

/** How a spawned program ran: confined or not, and under which limits (recorded in the results). */
export interface Confinement {
  isolation: Isolation;
  limits: Limits;
}

export interface Health {
  /** The server died: its traceback or stderr tail, and exit code or signal when known. */
  crashed?: { detail: string; code?: number | null; signal?: string | null };
  /** The server exited on its own with status 0. */
  exited?: boolean;
  /** The server is known to spin (in-process variants say so; processes are measured). */
  spinning?: boolean;
}

export interface Target {
  readonly kind: 'in-process' | 'spawn' | 'remote';
  readonly description: string;
  readonly host: string;
  readonly port: number;
  /** The sandbox whose work/ folder is the server's working directory (absent for remote). */
  readonly sandbox: Sandbox | undefined;
  /** The server listens on a port the user pinned (--port), so restarts reuse it. */
  readonly pinnedPort?: boolean;
  /** How many times the server was started again after dying, hanging or spinning. */
  readonly restarts: number;
  start(): Promise<void>;
  /** Kill and start from a fresh sandbox; `counted` when recovering from a failure. */
  restart(counted?: boolean): Promise<void>;
  stop(): Promise<void>;
  health(): Health;
  /** Resolves when the server has died, or after `ms` (whichever first). */
  waitForDeath(ms: number): Promise<void>;
  /** CPU used by the server so far (on a CPU, and demanded), when it can be measured. */
  cpuUse(): CpuUse | undefined;
  /** The last lines the server wrote to stderr (the Python traceback). */
  stderrTail(): string;
  /** A spawned program's confinement and limits (absent for built-in and remote servers). */
  confinement?(): Confinement;
}
