// Runs a protocol's clauses against a target with fast-check, within a time budget, shrinks
// every failure to a minimal session and returns plain data. Prints nothing.
//
// The schedule: one polite session first (it times the server and finds a missing welcome,
// greeting or first reply: the root cause the other clauses then depend on); then every
// clause's boundary cases, each clause with its share of the time; then random exploration
// with what is left, cheapest clauses first.
import fc from 'fast-check';
import type { Clause, Observation, Verdict } from '../clause';
import { HARMFUL, levelOf } from '../clause';
import type { Conn } from '../conn';
import { sessionContext } from './context';
import { snapshot, type Snapshot } from '../sandbox';
import type { Target } from '../targets/types';
import { shareOf, spinsAt } from '../proc';
import type { RecordedClient } from '../recording/schema';
import { Transcript, type TranscriptEvent } from '../transcript';
import type { Protocol, Profile } from '../protocol';
import { CUT_BY_TIME, RESULTS_SCHEMA, unfinished, type ClauseResult, type PoliteResult, type RunResult } from './results';
import { VERSION } from '../version';

export interface RunOptions {
  seed: number;
  /** fast-check runs per clause (boundary cases included). */
  runs: number;
  /** Shortest wait for one expected step of a session (a reply, a close): a slow server gets more. */
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
  /** Step deadlines are this many times the slowest polite reply (never under stepMs). */
  latencyFactor?: number;
  /** Stop once every clause has its verdict (boundary cases run), without random exploration. */
  stopAtVerdict?: boolean;
}

export type ProgressEvent =
  | { kind: 'polite'; polite: PoliteResult }
  | { kind: 'clause-start'; id: string; index: number; total: number }
  | { kind: 'clause-end'; result: ClauseResult; index: number; total: number };

export interface RunOutcome {
  obs: Observation;
  transcript: Transcript;
  stderrTail?: string;
  /** The run ended while the server was still making progress: no verdict. */
  interrupted?: boolean;
  /** A client under test: how it was started (its recording keeps this, for replay). */
  client?: RecordedClient;
}

const REMOTE_FILES = "needs to see the server's files, which a remote target (--connect) does not allow: run the server with --spawn to check them";

/** The polite session waits at least this long for each step: it is what tells a slow server from a hung one. */
const POLITE_STEP_MS = 5000;

/** One clause's progress across the two phases. */
interface ClauseState {
  clause: Clause;
  index: number;
  /** Boundary cases, run first (fast-check `examples`). */
  examples: unknown[];
  /** Sessions that make the clause "ran": its boundary cases, or one session when it has none. */
  minimum: number;
  /** fast-check runs planned (boundary cases included). */
  planned: number;
  /** Sessions judged before any failure. */
  runs: number;
  /** Time spent, and time spent in judged sessions (what a session of this clause costs). */
  durationMs: number;
  sessionMs: number;
  failure?: { input: unknown; out: RunOutcome; at: number; shrinkRuns: number };
  /** fast-check's path to the shrunk failure, and how many shrink steps it took. */
  path?: string;
  shrinks: number;
  blockedBy?: string;
  /** Why a session could not be run at all (the server would not start again, say). */
  error?: string;
  result?: ClauseResult;
}

export class Runner {
  protected deadline = 0;
  private mustRestart = false;
  /** The step deadline in force: the user's, or more for a slow server. */
  protected stepMs: number;
  private readonly results = new Map<string, ClauseResult>();

  constructor(
    protected readonly protocol: Protocol<any>,
    protected readonly profile: Profile,
    protected readonly settings: unknown,
    protected readonly target: Target,
    protected readonly opts: RunOptions,
  ) {
    this.stepMs = opts.stepMs;
  }

  /** The clauses of this kind of run (a server's; the client runner's are its protocol's client clauses). */
  protected allClauses(): readonly Clause[] {
    return this.protocol.clauses;
  }

  clausesToRun(): Clause[] {
    return this.allClauses().filter((c) => c.profiles.includes(this.profile) && (!this.opts.only?.length || this.opts.only.includes(c.id)));
  }

  async run(): Promise<RunResult> {
    const started = Date.now();
    this.deadline = started + this.opts.timeLimitMs;
    const clauses = this.clausesToRun();
    const total = clauses.length;
    const states: ClauseState[] = [];
    for (const [index, clause] of clauses.entries()) {
      const why = this.inapplicable(clause);
      if (why) this.finish({ clause, index } as ClauseState, this.skipped(clause, 'not-applicable', why), total);
      // Not a pass either: the oracle needs what this target cannot show (the run is incomplete).
      else if (clause.needsFiles && this.target.kind === 'remote') this.finish({ clause, index } as ClauseState, this.skipped(clause, 'not-run', REMOTE_FILES), total);
      else states.push(this.stateOf(clause, index));
    }
    // A polite failure at no named step is one at the protocol's first, most polite clause.
    const first = this.allClauses().find((c) => c.profiles.includes(this.profile) && !this.inapplicable(c));
    const polite = states.length ? await this.politeSession(first?.id) : undefined;
    if (polite) this.opts.onProgress?.({ kind: 'polite', polite });
    // The root cause the polite session found blocks every clause that needs what it lacked.
    const root = polite && polite.verdict !== 'pass' && polite.precondition && states.some((s) => s.clause.id === polite.precondition) ? polite.precondition : undefined;
    const ordered = root ? [...states.filter((s) => s.clause.id === root), ...states.filter((s) => s.clause.id !== root)] : states;

    // Phase 1: every clause's boundary cases, each with its share of what is left.
    for (let k = 0; k < ordered.length; k++) {
      const st = ordered[k];
      this.opts.onProgress?.({ kind: 'clause-start', id: st.clause.id, index: st.index, total });
      const rootResult = root && st.clause.id !== root ? this.results.get(root) : undefined;
      if (rootResult?.status === 'fail') st.blockedBy = root;
      else if (this.stoppedAtFinding()) {
        this.finish(st, this.skipped(st.clause, 'not-run', 'not run: the run stopped at its first finding'), total);
        continue;
      } else if (Date.now() < this.deadline) {
        const left = ordered.slice(k + 1).filter((s) => !s.result);
        const reserve = left.reduce((sum, s) => sum + s.minimum * this.sessionEstimate(polite), 0);
        const now = Date.now();
        const until = Math.min(this.deadline, now + Math.max((this.deadline - now) / (left.length + 1), this.deadline - now - reserve));
        if (this.opts.path) await this.exercise(st, 0, Infinity, this.deadline, this.opts.path);
        else await this.exercise(st, 0, st.minimum, until);
      }
      // A clause is final in phase 1 when it failed, was blocked, or has nothing left to explore.
      if (st.failure || st.blockedBy || st.runs < st.minimum || st.runs >= st.planned || this.opts.path) this.finish(st, this.resultOf(st), total);
    }

    const verdictMs = Date.now() - started;
    // Phase 2: random exploration with the time that is left, cheapest clauses first.
    const exploring = ordered.filter((s) => !s.result).sort((a, b) => this.costOf(a) - this.costOf(b));
    for (let k = 0; k < exploring.length; k++) {
      const st = exploring[k];
      if (!this.opts.stopAtVerdict && !this.stoppedAtFinding() && Date.now() < this.deadline) {
        const now = Date.now();
        const until = now + (this.deadline - now) / (exploring.length - k);
        await this.exercise(st, st.minimum, this.fitting(st, until), until);
      }
      this.finish(st, this.resultOf(st), total);
    }

    const results = clauses.map((c) => this.results.get(c.id)!);
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
      verdictMs,
      restarts: this.target.restarts,
      timedOut: results.some((r) => r.status === 'not-run' || (r.plannedRuns !== undefined && r.runs < r.plannedRuns && r.status === 'pass')),
      complete: !unfinished({ clauses: results } as RunResult).length,
      timeLimitMs: this.opts.timeLimitMs,
      stepMs: this.stepMs,
      polite,
      settings: this.settings,
      clauses: results,
    };
  }

  /** Runs one clause on its own (boundary cases, then exploration); with `path`, replays exactly one counterexample. */
  async runClause(clause: Clause, path?: string): Promise<ClauseResult> {
    if (!this.deadline) this.deadline = Date.now() + this.opts.timeLimitMs;
    await this.target.restart(false);
    const st = this.stateOf(clause, 0);
    if (path) {
      await this.exercise(st, 0, Infinity, this.deadline, path);
      return this.resultOf(st);
    }
    await this.exercise(st, 0, st.minimum, this.deadline);
    if (!st.failure && st.runs >= st.minimum) await this.exercise(st, st.minimum, this.fitting(st, this.deadline), this.deadline);
    return this.resultOf(st);
  }

  private stateOf(clause: Clause, index: number): ClauseState {
    const examples = clause.boundary?.(this.profile, this.settings) ?? [];
    const minimum = Math.max(1, examples.length);
    return { clause, index, examples, minimum, planned: Math.max(this.opts.runs, minimum), runs: 0, durationMs: 0, sessionMs: 0, shrinks: 0 };
  }

  private inapplicable(clause: Clause): string | undefined {
    if (clause.appliesTo && !clause.appliesTo(this.settings, this.profile)) return 'does not apply to this variant of the assignment';
    return undefined;
  }

  private stoppedAtFinding(): boolean {
    return !!this.opts.stopOnFinding && [...this.results.values()].some((x) => x.status === 'fail' && x.effectiveLevel !== 'ADVISORY');
  }

  /** What one session is expected to cost before a clause has run (the polite session's time). */
  private sessionEstimate(polite: PoliteResult | undefined): number {
    return Math.max(50, polite?.durationMs ?? 200);
  }

  /**
   * How far exploration can go before `until`: twice the sessions that fit at this clause's pace,
   * at most the planned runs. fast-check generates every value up to numRuns, even those it
   * skips, so a huge --runs would otherwise spend the run generating values it never judges.
   */
  private fitting(st: ClauseState, until: number): number {
    const cost = this.costOf(st);
    if (!Number.isFinite(cost)) return st.planned;
    return Math.min(st.planned, st.minimum + Math.ceil((2 * Math.max(0, until - Date.now())) / Math.max(1, cost)) + 1);
  }

  private costOf(st: ClauseState): number {
    return st.runs ? st.sessionMs / st.runs : Infinity;
  }

  private finish(st: ClauseState, r: ClauseResult, total: number): void {
    st.result = r;
    this.results.set(r.id, r);
    this.opts.onProgress?.({ kind: 'clause-end', result: r, index: st.index, total });
  }

  /**
   * The polite session: times the server's replies (step deadlines follow a slow server) and,
   * when it fails, names the clause whose precondition is missing.
   */
  protected async politeSession(firstClause: string | undefined): Promise<PoliteResult> {
    const t0 = Date.now();
    // A target not started yet (port 0) is started here; a started one is not restarted (a spawn costs).
    if (!this.target.port) await this.target.start();
    const transcript = new Transcript();
    const conns: Conn[] = [];
    // Generous, but a small part of the time limit: a missing welcome costs this once.
    const step = Math.max(this.opts.stepMs, Math.min(POLITE_STEP_MS, this.opts.timeLimitMs / 6));
    const ctx = sessionContext(this.target, this.profile, this.settings, { stepMs: step, readCap: this.opts.readCap, transcript, onConnect: (c) => conns.push(c), watchFiles: !!this.protocol.storesFiles, watchSpins: true });
    const polite = this.protocol.polite ?? this.protocol.probe;
    let obs: Observation;
    try {
      obs = await this.guard(polite(ctx));
    } catch (e) {
      obs = { verdict: 'wrong-answer', summary: `the polite session failed: ${(e as Error).message}` };
    }
    for (const c of conns) c.close();
    const latency = slowestReply(transcript.events);
    const health = this.target.health();
    if (health.crashed) obs = { verdict: 'crash', summary: `the server crashed during a polite session: ${lastLine(health.crashed.detail)}` };
    if (obs.verdict === 'pass' && latency !== undefined) {
      this.stepMs = Math.max(this.opts.stepMs, Math.ceil(latency * (this.opts.latencyFactor ?? 3)));
    }
    // A server that failed, or one allowed to exit after each session (the single-shot upload), starts afresh.
    this.mustRestart = obs.verdict !== 'pass' || !!this.protocol.cleanExitAllowed;
    return {
      verdict: obs.verdict,
      summary: obs.summary,
      precondition: obs.verdict === 'pass' ? undefined : (obs.precondition ?? firstClause),
      slowestReplyMs: latency,
      stepMs: this.stepMs,
      durationMs: Date.now() - t0,
    };
  }

  /**
   * Runs the clause's fast-check property, judging only the sessions numbered [from, to)
   * before a failure (the others pass untouched, so paths stay those of one whole run), and
   * shrinking a failure within the shrink budget.
   */
  private async exercise(st: ClauseState, from: number, to: number, until: number, path?: string): Promise<void> {
    const t0 = Date.now();
    const shrinkRuns = this.opts.shrinkRuns ?? 40;
    const shrinkMs = this.opts.shrinkMs ?? 4000;
    let index = 0;
    const property = fc.asyncProperty(st.clause.arbitrary(this.profile, this.settings), async (input) => {
      if (st.blockedBy) return true;
      const failure = st.failure;
      if (failure) {
        // Shrinking budget spent: keep the smallest failure so far.
        // The shrink budget, or the run's time, is spent: keep the smallest failure so far.
        if (++failure.shrinkRuns > shrinkRuns || Date.now() - failure.at > shrinkMs || Date.now() >= this.deadline) return true;
        const out = await this.runOnce(st.clause, input);
        if (out.interrupted) return true;
        // Shrinking keeps the failure's kind and the step it failed at: a smaller session that
        // fails another way, or at another clause's step, is another finding.
        if (out.obs.verdict !== failure.out.obs.verdict || out.obs.precondition !== failure.out.obs.precondition) return true;
        st.failure = { ...failure, input, out };
        return false;
      }
      const i = index++;
      if (i < from || i >= to) return true;
      // Its share of the time is spent; a clause that has not run at all still gets one session while the run has time.
      if (Date.now() >= (st.runs ? until : this.deadline)) return true;
      const s0 = Date.now();
      const out = await this.runOnce(st.clause, input);
      // The run ended inside this session, with the server still working: it has no verdict.
      if (out.interrupted) return true;
      st.runs++;
      st.sessionMs += Date.now() - s0;
      if (out.obs.verdict === 'pass') return true;
      // A failure at a step another clause already failed is that clause's finding, not a new one.
      const pre = out.obs.precondition;
      if (pre && pre !== st.clause.id && this.results.get(pre)?.status === 'fail') {
        st.blockedBy = pre;
        return true;
      }
      st.failure = { input, out, at: Date.now(), shrinkRuns: 0 };
      return false;
    });
    const details = await fc.check(property, {
      seed: this.opts.seed,
      // Only as many runs as this phase judges (fast-check's values do not depend on numRuns, so
      // paths stay those of the whole run); a path replays exactly one.
      numRuns: path ? 1 : Math.min(st.planned, to),
      path,
      examples: st.examples.map((e) => [e] as [unknown]),
      endOnFailure: false,
    });
    if (st.failure && details.failed) {
      st.path = details.counterexamplePath ?? undefined;
      st.shrinks = details.numShrinks;
    } else if (details.failed) {
      // Not a finding: the harness could not run a session (the server did not start again, say).
      const e = details.errorInstance;
      st.error ??= e instanceof Error ? e.message : String(e);
    }
    st.durationMs += Date.now() - t0;
  }

  private skipped(clause: Clause, status: 'not-run' | 'not-applicable', why: string): ClauseResult {
    const level = levelOf(clause, this.profile);
    return {
      id: clause.id,
      level,
      effectiveLevel: level,
      description: clause.description,
      expectation: clause.expectation,
      zh: clause.zh,
      status,
      verdict: status,
      summary: why,
      skipped: why,
      runs: 0,
      shrinks: 0,
      seed: this.opts.seed,
      durationMs: 0,
    };
  }

  private resultOf(st: ClauseState): ClauseResult {
    const clause = st.clause;
    const level = levelOf(clause, this.profile);
    const base = {
      id: clause.id,
      level,
      description: clause.description,
      expectation: clause.expectation,
      zh: clause.zh,
      seed: this.opts.seed,
      runs: st.runs,
      plannedRuns: st.planned,
      boundaryCases: st.examples.length,
      shrinks: 0,
      durationMs: st.durationMs,
    };
    if (st.blockedBy) {
      const root = this.results.get(st.blockedBy);
      const why = `blocked by ${st.blockedBy}: ${root?.summary ?? 'it failed'}`;
      return { ...base, effectiveLevel: level, status: 'blocked', verdict: 'blocked', summary: why, skipped: why, blockedBy: st.blockedBy };
    }
    const f = st.failure;
    if (f) {
      const verdict: Verdict = f.out.obs.verdict;
      return {
        ...base,
        shrinks: st.shrinks,
        effectiveLevel: level === 'ADVISORY' && HARMFUL.has(verdict) ? 'ROBUST' : level,
        status: 'fail',
        verdict,
        summary: f.out.obs.summary,
        hint: f.out.obs.hint,
        expected: f.out.obs.expected,
        observed: f.out.obs.observed,
        path: st.path,
        counterexample: toJson(f.input),
        transcript: f.out.transcript.events,
        stderrTail: f.out.stderrTail,
        client: f.out.client,
      };
    }
    if (st.runs === 0) {
      const why = st.error ? `not run: ${st.error}` : Date.now() >= this.deadline ? 'the time limit ran out before this clause' : 'not run';
      return { ...base, effectiveLevel: level, status: 'not-run', verdict: 'not-run', summary: why, skipped: CUT_BY_TIME };
    }
    const of = `${st.runs} of ${st.planned} sessions`;
    if (st.runs < st.minimum) {
      const why = `the time limit ran out after ${of}, before its ${st.minimum} boundary cases had all run`;
      return { ...base, effectiveLevel: level, status: 'pass', verdict: 'pass', summary: `passed ${of}; ${why}`, skipped: why };
    }
    return { ...base, effectiveLevel: level, status: 'pass', verdict: 'pass', summary: st.runs < st.planned ? `passed ${of} (${st.error ? `then not run: ${st.error}` : 'the time limit ended the rest'})` : `passed ${st.runs} runs` };
  }

  /** One session of a clause, judged by its oracle and then by the server's health. */
  protected async runOnce(clause: Clause, input: unknown): Promise<RunOutcome> {
    const target = this.target;
    const h0 = target.health();
    if (this.mustRestart || h0.crashed || h0.exited || h0.spinning) await target.restart();
    this.mustRestart = false;
    const transcript = new Transcript();
    const conns: Conn[] = [];
    const sandbox = target.sandbox;
    const rootBefore: Snapshot | undefined = sandbox ? snapshot(sandbox.root) : undefined;
    const ctx = sessionContext(target, this.profile, this.settings, { stepMs: this.stepMs, readCap: this.opts.readCap, transcript, onConnect: (c) => conns.push(c), giveUpAt: this.deadline, watchFiles: !!this.protocol.storesFiles });
    const cpu0 = target.cpuUse();
    const wall0 = Date.now();
    let obs = await this.guard(clause.run(ctx, input));
    if (conns.some((c) => c.interrupted)) {
      for (const c of conns) c.close();
      this.mustRestart = true;
      return { obs, transcript, interrupted: true };
    }
    const wall = (Date.now() - wall0) / 1000;
    const cpu1 = target.cpuUse();
    // Close politely and let the server finish with these connections before the probe.
    const grace = Math.min(300, this.stepMs);
    for (const c of conns) c.close(grace);
    await Promise.race([Promise.all(conns.map((c) => c.settled())), new Promise((r) => setTimeout(r, grace + 100))]);

    const share = shareOf(cpu0, cpu1, wall);
    const spinning = () => target.health().spinning || (wall > 0.2 && spinsAt(share));
    if (obs.verdict === 'hang' && spinning()) {
      obs = { ...obs, verdict: 'busy-loop', summary: obs.summary.replace(/^the server/, 'the server spun at full CPU and') };
    }
    // Is the server still there and still serving? A dead server is a crash, whatever the oracle saw.
    let probe: Observation | undefined;
    // A hung or spinning server is restarted anyway: probing it would only cost two step times.
    const stuck = obs.verdict === 'hang' || obs.verdict === 'busy-loop';
    if (!stuck && !target.health().crashed && !target.health().exited) {
      probe = await this.guard(this.protocol.probe(ctx));
      // The run ended inside the probe: whether the next client is served is not known.
      if (conns.some((c) => c.interrupted)) {
        for (const c of conns) c.close();
        this.mustRestart = true;
        return { obs, transcript, interrupted: true };
      }
      if (probe.verdict !== 'pass') await target.waitForDeath(this.stepMs);
    } else await target.waitForDeath(0);
    const h = target.health();
    if (h.crashed) {
      const exit = transcript.make(0, 's2c', 'exit');
      exit.code = h.crashed.code ?? null;
      exit.signal = h.crashed.signal ?? null;
      transcript.events.push(exit);
      const last = lastLine(h.crashed.detail);
      obs = {
        verdict: 'crash',
        summary: `the server crashed: ${last}`,
        expected: 'the server survives and serves the next client',
        observed: obs.verdict !== 'pass' ? `${obs.summary}; then the process died` : 'the process died',
      };
    } else if (h.exited && !this.protocol.cleanExitAllowed) {
      obs = { verdict: 'not-serving', summary: 'the server exited after the session', expected: 'the server keeps serving clients', observed: 'the process exited with status 0' };
    } else if (obs.verdict === 'pass' && spinning()) {
      obs = { verdict: 'busy-loop', summary: 'the server kept a CPU busy after the session', observed: `CPU demand ${share.demand.toFixed(2)}, on a CPU ${share.run.toFixed(2)}${share.switches ? `, ${share.switches.preempts} times preempted, ${share.switches.blocks} times blocked` : ''}` };
    } else if (obs.verdict === 'pass' && probe && probe.verdict !== 'pass' && !h.exited) {
      obs = { verdict: 'not-serving', summary: `the next client was not served: ${probe.summary}`, expected: probe.expected, observed: probe.observed };
    }
    if (sandbox && rootBefore) {
      const escaped = sandbox.escapes(rootBefore);
      if (escaped.length) {
        obs = {
          verdict: 'escape',
          summary: escaped.every((e) => e.kind === 'refused')
            ? `the server tried to write outside its working directory (the sandbox refused it): ${escaped.map((e) => e.rel).join(', ')}`
            : `the server wrote outside its working directory: ${escaped.map((e) => e.rel).join(', ')}`,
          expected: 'every write stays inside the working directory',
          observed: escaped.map((e) => `${e.kind} ${e.rel} (${e.size} bytes)`).join('; '),
        };
      }
    }
    if (obs.verdict !== 'pass') this.mustRestart = true;
    // The recording ends with the session as judged: later closes are the harness's (its restart).
    transcript.seal();
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

/** The last line of a crash's detail (the exception, or the limit it hit, in words). */
const lastLine = (detail: string) => detail.trim().split('\n').slice(-1)[0] || 'the process died';

/** The slowest reply of a session: from the client's last step to the server's next bytes. */
export function slowestReply(events: readonly TranscriptEvent[]): number | undefined {
  let slowest: number | undefined;
  const asked = new Map<number, number>();
  for (const e of events) {
    if (e.dir === 'c2s' && (e.kind === 'connect' || e.kind === 'data')) asked.set(e.conn, e.t);
    else if (e.dir === 's2c' && e.kind === 'data') {
      const t = asked.get(e.conn);
      if (t !== undefined) slowest = Math.max(slowest ?? 0, (e.t - t) / 1000);
      asked.delete(e.conn);
    }
  }
  return slowest;
}

/** Inputs hold Buffers: as JSON they become {hex} objects so reports and files can show them. */
export function toJson(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { hex: Buffer.from(v).toString('hex'), text: Buffer.from(v).toString('utf8') };
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

export type { Verdict };
