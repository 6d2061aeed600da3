// Runs a protocol's clauses against a target with fast-check, shrinks every failure to a
// minimal session and returns plain data. Prints nothing.
import fc from 'fast-check';
import type { Clause, Observation, Verdict } from '../clause';
import { HARMFUL, levelOf } from '../clause';
import type { Conn } from '../conn';
import { sessionContext } from './context';
import { snapshot, type Snapshot } from '../sandbox';
import type { Target } from '../targets/types';
import { Transcript } from '../transcript';
import type { Protocol, Profile, Settings } from '../../protocols/types';
import { RESULTS_SCHEMA, type ClauseResult, type RunResult } from './results';
import { VERSION } from '../version';

export interface RunOptions {
  seed: number;
  /** fast-check runs per clause. */
  runs: number;
  /** Longest wait for one expected step of a session (a reply, a close). */
  stepMs: number;
  /** The whole run stops (and reports what it has) after this long. */
  timeLimitMs: number;
  /** Only these clause ids (all when empty). */
  only?: readonly string[];
  /** With one clause in `only`: replay exactly the counterexample at this fast-check path. */
  path?: string;
  /** Most sessions spent shrinking one failure. */
  shrinkRuns?: number;
  /** Most time spent shrinking one failure (hangs cost a step time each). */
  shrinkMs?: number;
  /** Reading stops past this many reply bytes per connection (floods). */
  readCap?: number;
  onProgress?: (event: ProgressEvent) => void;
  /** Stop at the first MUST or ROBUST failure (the other clauses are reported not run). */
  stopOnFinding?: boolean;
}

export type ProgressEvent = { kind: 'clause-start'; id: string; index: number; total: number } | { kind: 'clause-end'; result: ClauseResult; index: number; total: number };

interface RunOutcome {
  obs: Observation;
  transcript: Transcript;
  stderrTail?: string;
}

/** CPU share above which a server that did not answer is reported as spinning, not waiting. */
const BUSY_SHARE = 0.5;

export class Runner {
  private deadline = 0;
  private mustRestart = false;

  constructor(
    private readonly protocol: Protocol,
    private readonly profile: Profile,
    private readonly settings: Settings,
    private readonly target: Target,
    private readonly opts: RunOptions,
  ) {}

  clausesToRun(): Clause[] {
    return this.protocol.clauses.filter((c) => c.profiles.includes(this.profile) && (!this.opts.only?.length || this.opts.only.includes(c.id)));
  }

  async run(): Promise<RunResult> {
    const started = Date.now();
    this.deadline = started + this.opts.timeLimitMs;
    const clauses = this.clausesToRun();
    const results: ClauseResult[] = [];
    let timedOut = false;
    for (let i = 0; i < clauses.length; i++) {
      const clause = clauses[i];
      this.opts.onProgress?.({ kind: 'clause-start', id: clause.id, index: i, total: clauses.length });
      let r: ClauseResult;
      if (this.opts.stopOnFinding && results.some((x) => x.status === 'fail' && x.effectiveLevel !== 'ADVISORY')) {
        r = this.notRun(clause, 'not run: the run stopped at its first finding');
      } else if (Date.now() >= this.deadline) {
        timedOut = true;
        r = this.notRun(clause, 'the time limit ran out before this clause');
      } else if (clause.appliesTo && !clause.appliesTo(this.settings, this.profile)) {
        r = this.notRun(clause, 'does not apply to this variant of the assignment');
      } else if (clause.needsFiles && this.target.kind === 'remote') {
        r = this.notRun(clause, "needs to see the server's files, which a remote target does not allow");
      } else {
        r = await this.runClause(clause, this.opts.path);
        if (r.status === 'not-run') timedOut = true;
      }
      results.push(r);
      this.opts.onProgress?.({ kind: 'clause-end', result: r, index: i, total: clauses.length });
    }
    return {
      schema: RESULTS_SCHEMA,
      sockspecVersion: VERSION,
      protocol: this.protocol.name,
      profile: this.profile,
      target: this.target.description,
      seed: this.opts.seed,
      runsPerClause: this.opts.runs,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      restarts: this.target.restarts,
      timedOut,
      settings: this.settings,
      clauses: results,
    };
  }

  private notRun(clause: Clause, why: string): ClauseResult {
    const level = levelOf(clause, this.profile);
    return {
      id: clause.id,
      level,
      effectiveLevel: level,
      description: clause.description,
      expectation: clause.expectation,
      status: 'not-run',
      verdict: 'not-run',
      summary: why,
      skipped: why,
      runs: 0,
      shrinks: 0,
      seed: this.opts.seed,
      durationMs: 0,
    };
  }

  /** Runs one clause; with `path`, replays exactly one counterexample. */
  async runClause(clause: Clause, path?: string): Promise<ClauseResult> {
    const t0 = Date.now();
    if (!this.deadline) this.deadline = t0 + this.opts.timeLimitMs;
    const level = levelOf(clause, this.profile);
    const shrinkRuns = this.opts.shrinkRuns ?? 40;
    let failure: { input: unknown; out: RunOutcome } | undefined;
    let afterFailure = 0;
    let failedAt = 0;
    const shrinkMs = this.opts.shrinkMs ?? 4000;
    let runs = 0;
    let interrupted = false;
    // Each clause starts from a fresh server.
    await this.target.restart(false);
    this.mustRestart = false;
    const property = fc.asyncProperty(clause.arbitrary(this.profile, this.settings), async (input) => {
      if (Date.now() >= this.deadline) {
        interrupted = failure === undefined;
        return true;
      }
      // Shrinking budget spent: keep the smallest failure so far.
      if (failure && (++afterFailure > shrinkRuns || Date.now() - failedAt > shrinkMs)) return true;
      if (!failure) runs++;
      const out = await this.runOnce(clause, input);
      if (out.obs.verdict === 'pass') return true;
      if (!failure) failedAt = Date.now();
      failure = { input, out };
      return false;
    });
    const details = await fc.check(property, { seed: this.opts.seed, numRuns: path ? 1 : this.opts.runs, path, endOnFailure: false });
    const base = {
      id: clause.id,
      level,
      description: clause.description,
      expectation: clause.expectation,
      seed: this.opts.seed,
      runs,
      shrinks: details.numShrinks,
      durationMs: Date.now() - t0,
    };
    if (interrupted && !failure) {
      return { ...base, effectiveLevel: level, status: 'not-run', verdict: 'not-run', summary: `the time limit ran out after ${runs} runs`, skipped: 'time limit' };
    }
    if (!details.failed || !failure) return { ...base, effectiveLevel: level, status: 'pass', verdict: 'pass', summary: `passed ${runs} runs` };
    const f = failure as { input: unknown; out: RunOutcome };
    const verdict = f.out.obs.verdict;
    return {
      ...base,
      effectiveLevel: level === 'ADVISORY' && HARMFUL.has(verdict) ? 'ROBUST' : level,
      status: 'fail',
      verdict,
      summary: f.out.obs.summary,
      expected: f.out.obs.expected,
      observed: f.out.obs.observed,
      path: details.counterexamplePath ?? undefined,
      counterexample: toJson(f.input),
      transcript: f.out.transcript.events,
      stderrTail: f.out.stderrTail,
    };
  }

  /** One session of a clause, judged by its oracle and then by the server's health. */
  private async runOnce(clause: Clause, input: unknown): Promise<RunOutcome> {
    const target = this.target;
    const h0 = target.health();
    if (this.mustRestart || h0.crashed || h0.exited || h0.spinning) await target.restart();
    this.mustRestart = false;
    const transcript = new Transcript();
    const conns: Conn[] = [];
    const sandbox = target.sandbox;
    const rootBefore: Snapshot | undefined = sandbox ? snapshot(sandbox.root) : undefined;
    const ctx = sessionContext(target, this.profile, this.settings, { stepMs: this.opts.stepMs, readCap: this.opts.readCap, transcript, onConnect: (c) => conns.push(c) });
    const cpu0 = target.cpuSeconds();
    const wall0 = Date.now();
    let obs = await this.guard(clause.run(ctx, input));
    const wall = (Date.now() - wall0) / 1000;
    const cpu1 = target.cpuSeconds();
    // Close politely and let the server finish with these connections before the probe.
    const grace = Math.min(300, this.opts.stepMs);
    for (const c of conns) c.close(grace);
    await Promise.race([Promise.all(conns.map((c) => c.settled())), new Promise((r) => setTimeout(r, grace + 100))]);

    const spinning = () => target.health().spinning || (cpu0 !== undefined && cpu1 !== undefined && wall > 0.2 && (cpu1 - cpu0) / wall > BUSY_SHARE);
    if (obs.verdict === 'hang' && spinning()) {
      obs = { ...obs, verdict: 'busy-loop', summary: obs.summary.replace(/^the server/, 'the server spun at full CPU and') };
    }
    // Is the server still there and still serving? A dead server is a crash, whatever the oracle saw.
    let probe: Observation | undefined;
    // A hung or spinning server is restarted anyway: probing it would only cost two step times.
    const stuck = obs.verdict === 'hang' || obs.verdict === 'busy-loop';
    if (!stuck && !target.health().crashed && !target.health().exited) {
      probe = await this.guard(this.protocol.probe(ctx));
      if (probe.verdict !== 'pass') await target.waitForDeath(this.opts.stepMs);
    } else await target.waitForDeath(0);
    const h = target.health();
    if (h.crashed) {
      const exit = transcript.make(0, 's2c', 'exit');
      exit.code = h.crashed.code ?? null;
      exit.signal = h.crashed.signal ?? null;
      transcript.events.push(exit);
      const last = h.crashed.detail.trim().split('\n').slice(-1)[0] || 'the process died';
      obs = {
        verdict: 'crash',
        summary: `the server crashed: ${last}`,
        expected: 'the server survives and serves the next client',
        observed: obs.verdict !== 'pass' ? `${obs.summary}; then the process died` : 'the process died',
      };
    } else if (h.exited && !this.protocol.cleanExitAllowed) {
      obs = { verdict: 'not-serving', summary: 'the server exited after the session', expected: 'the server keeps serving clients', observed: 'the process exited with status 0' };
    } else if (obs.verdict === 'pass' && spinning()) {
      obs = { verdict: 'busy-loop', summary: 'the server kept a CPU busy after the session', observed: `CPU share ${(((cpu1 ?? 0) - (cpu0 ?? 0)) / wall).toFixed(2)}` };
    } else if (obs.verdict === 'pass' && probe && probe.verdict !== 'pass' && !h.exited) {
      obs = { verdict: 'not-serving', summary: `the next client was not served: ${probe.summary}`, expected: probe.expected, observed: probe.observed };
    }
    if (sandbox && rootBefore) {
      const escaped = sandbox.escapes(rootBefore);
      if (escaped.length) {
        obs = {
          verdict: 'escape',
          summary: `the server wrote outside its working directory: ${escaped.map((e) => e.rel).join(', ')}`,
          expected: 'every write stays inside the working directory',
          observed: escaped.map((e) => `${e.kind} ${e.rel} (${e.size} bytes)`).join('; '),
        };
      }
    }
    if (obs.verdict !== 'pass') this.mustRestart = true;
    for (const c of conns) c.close();
    return { obs, transcript, stderrTail: target.stderrTail() || undefined };
  }

  /** Runs a session step; connection failures become observations, never exceptions. */
  private async guard(p: Promise<Observation>): Promise<Observation> {
    try {
      return await p;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT') {
        return { verdict: 'not-serving', summary: 'a client could not connect', observed: `${code}: ${(e as Error).message}` };
      }
      if (code === 'ECONNRESET' || code === 'EPIPE') return { verdict: 'reset', summary: 'the connection was reset', observed: String(code) };
      throw e;
    }
  }
}

/** Inputs hold Buffers: as JSON they become {hex} objects so reports and files can show them. */
export function toJson(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { hex: Buffer.from(v).toString('hex'), text: Buffer.from(v).toString('utf8') };
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

export type { Verdict };
