// The context a clause's session runs in: connections to the target logged to one transcript,
// and the files changed in the server's working directory since the context was made.
import type { SessionContext } from '../clause';
import { Conn } from '../conn';
import { diffSnapshots, snapshot } from '../sandbox';
import type { Target } from '../targets/types';
import { Transcript } from '../transcript';
import type { Profile } from '../protocol';
import { shareOf, spinsAt } from '../proc';

export interface ContextOptions {
  stepMs: number;
  /** Stop buffering a connection's replies past this many bytes. */
  readCap?: number;
  transcript?: Transcript;
  /** Told of every connection opened (the runner closes them after the session). */
  onConnect?: (conn: Conn) => void;
  /** The run's end: a slow server still making progress then is left, and the session has no verdict. */
  giveUpAt?: number;
  /**
   * Snapshot the working folder first, for changes() (default true). The runner asks it only of
   * protocols whose oracles look at stored files: the walk was a tenth of a hello session.
   */
  watchFiles?: boolean;
  /** Watch the server's CPU while waiting for its close (see Conn.spinWatch): the polite session. */
  watchSpins?: boolean;
}

/** How long a server must spin at full CPU, instead of closing, before a wait for its close ends. */
const SPIN_CUT_MS = 1500;

/** A watch of the target's CPU from now: how long it has spun since, once that is SPIN_CUT_MS or more. */
function spinWatchOf(target: Target): () => number | undefined {
  const t0 = Date.now();
  const c0 = target.cpuUse();
  return () => {
    const ms = Date.now() - t0;
    const c1 = ms >= SPIN_CUT_MS && c0 ? target.cpuUse() : undefined;
    if (!c0 || !c1) return undefined;
    return spinsAt(shareOf(c0, c1, ms / 1000)) ? ms : undefined;
  };
}

/**
 * What one connection's replies are read up to by default: past it the server is flooding. A
 * reply of the lesson protocols is a line or a status (a variant's too), never near a MiB; the
 * cap was 4 MiB, and a flooding server (its reply sent again and again after the client's end)
 * then cost every failing session and shrink step 4 MiB of small writes to read, keep and save
 * (a 52 MB results file, a 48 MB report) without telling anything 1 MiB does not.
 */
export const REPLY_CAP = 1 << 20;

export function sessionContext<S>(target: Target, profile: Profile, settings: S, opts: ContextOptions): SessionContext<S> {
  const transcript = opts.transcript ?? new Transcript();
  const sandbox = target.sandbox;
  const watching = opts.watchFiles ?? true;
  const workBefore = sandbox && watching ? snapshot(sandbox.work) : undefined;
  return {
    profile,
    settings,
    stepMs: opts.stepMs,
    local: !!sandbox,
    sandboxRoot: sandbox?.root,
    connect: async () => {
      const c = await Conn.open({
        host: target.host,
        port: target.port,
        transcript,
        readCap: opts.readCap ?? REPLY_CAP,
        connectTimeoutMs: opts.stepMs,
        paceTimeoutMs: Math.min(500, opts.stepMs),
        gapMs: 5,
        freeServerPort: target.pinnedPort,
      });
      if (opts.giveUpAt !== undefined) c.giveUpAt = opts.giveUpAt;
      if (opts.watchSpins && target.cpuUse()) c.spinWatch = () => spinWatchOf(target);
      opts.onConnect?.(c);
      return c;
    },
    changes: async () => {
      if (!watching) throw new Error('changes() in a session that does not watch files (the protocol needs storesFiles)');
      return sandbox && workBefore ? diffSnapshots(workBefore, snapshot(sandbox.work), sandbox.work) : [];
    },
  };
}
