// Sessions against a student's client, for the runner: each session starts the client afresh
// (confined, its stdin scripted), plays the server's side through the clause, then judges the
// client as a process: a traceback is a crash (also when the server closed or reset first), a
// client still running a step after the conversation is over hangs (or spins, by its CPU), a
// reply missing from its stdout was not printed whole. Saying what went wrong and exiting,
// with any exit status, is fine.
import type { Clause, Observation } from '../clause';
import type { ClientClause, ClientObservation, ClientSessionContext } from '../client-clause';
import { Endpoint } from '../endpoint';
import { TargetError } from '../errors';
import { recordedClient } from '../recording/schema';
import type { Profile, Protocol } from '../protocol';
import { sockInfo } from '../sockdiag';
import { shareOf, spinsAt, type CpuUse } from '../proc';
import type { ClientRun, ClientTarget } from '../targets/client';
import { Transcript, type TranscriptEvent } from '../transcript';
import { Runner, type RunOptions, type RunOutcome } from './index';
import type { PoliteResult, RunResult } from './results';

/** A session's outcome; `cannotStart`: the command itself could not run (not found, no such script): a setup error. */
type ClientOutcome = RunOutcome & { cannotStart?: string };

/** The polite session waits at least this long for each step: it is what tells a slow client from a hung one. */
const POLITE_STEP_MS = 5000;

/**
 * The runner over a protocol's client clauses: the same schedule (a polite conversation first,
 * boundary cases, then exploration, shrinking), each session a fresh client.
 */
export class ClientRunner extends Runner {
  private readonly sessions: ClientSessions;

  constructor(protocol: Protocol<any>, profile: Profile, settings: unknown, target: ClientTarget, opts: RunOptions) {
    super(protocol, profile, settings, target, opts);
    this.sessions = new ClientSessions(target, profile, settings, opts.readCap);
  }

  async run(): Promise<RunResult> {
    const result = await super.run();
    for (const c of result.clauses) c.tested = 'client';
    return { ...result, tested: 'client' };
  }

  protected allClauses(): readonly Clause[] {
    return (this.protocol.clientClauses ?? []) as unknown as readonly Clause[];
  }

  protected async politeSession(firstClause: string | undefined): Promise<PoliteResult> {
    const t0 = Date.now();
    await this.target.start();
    void sockInfo(1, 1, 4); // starts the kernel helper now, not inside the first paced write
    const conversation = this.allClauses().find((c) => c.id === firstClause) as unknown as ClientClause | undefined;
    const step = Math.max(this.opts.stepMs, Math.min(POLITE_STEP_MS, this.opts.timeLimitMs / 6));
    const out = conversation ? await this.sessions.once(conversation, conversation.boundary?.(this.profile, this.settings)[0] ?? null, step, Infinity) : undefined;
    if (out?.cannotStart) throw new TargetError('ERR_CLIENT_NOT_STARTED', out.cannotStart, out.stderrTail);
    const obs = out?.obs ?? { verdict: 'pass' as const, summary: 'no client clause applies' };
    const latency = out ? slowestClientStep(out.transcript.events) : undefined;
    if (obs.verdict === 'pass' && latency !== undefined) this.stepMs = Math.max(this.opts.stepMs, Math.ceil(latency * (this.opts.latencyFactor ?? 3)));
    return {
      verdict: obs.verdict,
      summary: obs.summary,
      precondition: obs.verdict === 'pass' ? undefined : firstClause,
      slowestReplyMs: latency,
      stepMs: this.stepMs,
      durationMs: Date.now() - t0,
    };
  }

  protected runOnce(clause: Clause, input: unknown): Promise<RunOutcome> {
    return this.sessions.once(clause as unknown as ClientClause, input, this.stepMs, this.deadline);
  }
}

/**
 * The client's slowest step: from the last event before it (a reply, its own header, the
 * server's close) to its next bytes, or to its exit (a client may take its time to finish).
 */
export function slowestClientStep(events: readonly TranscriptEvent[]): number | undefined {
  let slowest: number | undefined;
  let last: number | undefined;
  for (const e of events) {
    const step = (e.kind === 'data' && e.dir === 'c2s') || e.kind === 'exit';
    if (step && last !== undefined) slowest = Math.max(slowest ?? 0, (e.t - last) / 1000);
    if (e.kind === 'data' || e.kind === 'connect' || (e.dir === 's2c' && (e.kind === 'fin' || e.kind === 'rst'))) last = e.t;
  }
  return slowest;
}

/** Starting a Python program takes time of its own (more under bwrap, on a loaded machine): its connection gets this much on top of a step. */
export const CLIENT_START_MS = 5000;
const TRACEBACK = /^Traceback \(most recent call last\):$/m;

/**
 * How a client process ended, as sessions and replays judge it: a traceback on stderr (or a
 * killing signal) is a crash, more than 1 MiB printed is a loop that does not stop on b'', a
 * client still running may be spinning (by its CPU share over `wall` seconds since `cpu0`).
 */
export type ClientEnding =
  | { kind: 'crash'; traceback: boolean; detail: string }
  | { kind: 'flood'; bytes: number }
  | { kind: 'running'; spinning: boolean }
  | { kind: 'exit'; code: number | null; signal: string | null };

export function clientEnding(run: ClientRun, wall: number, cpu0: CpuUse | undefined): ClientEnding {
  const program = run.program;
  const stderr = program.stderrTail(400);
  const exit = program.exitStatus();
  if (TRACEBACK.test(stderr)) return { kind: 'crash', traceback: true, detail: stderr.trim().split('\n').slice(-1)[0] };
  const health = program.health();
  if (exit?.signal && health.crashed) return { kind: 'crash', traceback: false, detail: health.crashed.detail.trim().split('\n').slice(-1)[0] };
  const out = program.output();
  if (out.bytes > 1 << 20) return { kind: 'flood', bytes: out.bytes };
  if (!exit) {
    const cpu1 = run.cpuUse();
    return { kind: 'running', spinning: wall > 0.2 && spinsAt(shareOf(cpu0, cpu1, wall)) };
  }
  return { kind: 'exit', code: exit.code, signal: exit.signal };
}

export class ClientSessions {
  constructor(
    private readonly target: ClientTarget,
    private readonly profile: Profile,
    private readonly settings: unknown,
    private readonly readCap = 4 << 20,
  ) {}

  async once(clause: ClientClause, input: unknown, stepMs: number, giveUpAt: number): Promise<ClientOutcome> {
    const script = clause.script(input, this.settings, this.profile);
    const transcript = new Transcript();
    const run = await this.target.session(script.stdin, script.files);
    const eps: Endpoint[] = [];
    let first = true;
    const ctx: ClientSessionContext = {
      profile: this.profile,
      settings: this.settings,
      stepMs,
      workDir: run.workDir,
      accept: async () => {
        const socket = await run.accept(stepMs + (first ? CLIENT_START_MS : 0));
        first = false;
        if (!socket) return undefined;
        const ep = Endpoint.adopt(socket, { transcript, role: 'server', readCap: this.readCap, paceTimeoutMs: Math.min(500, stepMs), gapMs: 5 });
        ep.giveUpAt = giveUpAt;
        socket.resume();
        eps.push(ep);
        return ep;
      },
    };
    let obs: ClientObservation;
    try {
      obs = await clause.run(ctx, input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ECONNRESET' && code !== 'EPIPE') throw e;
      obs = { verdict: 'reset', summary: 'the client reset the connection', observed: String(code), over: true };
    }
    if (eps.some((ep) => ep.interrupted)) {
      await this.finish(run, eps);
      return { obs, transcript, interrupted: true };
    }
    // The conversation is over (or went wrong): the client has a step to exit on its own. Its
    // CPU is measured over that step only: a spin after the close, not the conversation's work.
    if (!obs.over) for (const ep of eps) ep.abandon();
    const cpu0 = run.cpuUse();
    const wall0 = Date.now();
    await run.waitExit(stepMs);
    const judged = this.judge(run, obs, (Date.now() - wall0) / 1000, cpu0, stepMs);
    const exit = run.program.exitStatus();
    if (exit) {
      const ev = transcript.make(0, 'c2s', 'exit');
      ev.code = exit.code;
      ev.signal = exit.signal;
      transcript.events.push(ev);
    }
    transcript.seal();
    const stderrTail = run.program.stderrTail() || undefined;
    await this.finish(run, eps);
    if (!eps.length && exit && judged.verdict === 'hang') {
      const last = stderrTail?.trim().split('\n').slice(-1)[0];
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const obs: Observation = { verdict: exit.code === 0 ? 'wrong-answer' : 'crash', summary: `the client ${how} before connecting${last ? `: ${last}` : ''}`, expected: 'the client connects to the port it was given', observed: `${how}, no connection` };
      return { obs, transcript, stderrTail, cannotStart: exit.code === 126 || exit.code === 127 || /can't open file|No such file or directory|not found/.test(last ?? '') ? obs.summary : undefined };
    }
    // How a failing session's client was started, for its recording: replay starts it the same way.
    return { obs: judged, transcript, stderrTail, ...(judged.verdict !== 'pass' ? { client: recordedClient(run.stdin, script.files, input) } : {}) };
  }

  private judge(run: ClientRun, obs: ClientObservation, wall: number, cpu0: CpuUse | undefined, stepMs: number): Observation {
    const end = clientEnding(run, wall, cpu0);
    const out = run.program.output();
    if (end.kind === 'crash' && end.traceback) {
      return {
        verdict: 'crash',
        summary: `the client crashed: ${end.detail}`,
        expected: 'the client handles what the server sent (or its closing) without a traceback',
        observed: obs.verdict !== 'pass' ? `${obs.summary}; the client died with a traceback` : 'the client died with a traceback',
      };
    }
    if (end.kind === 'crash') return { verdict: 'crash', summary: `the client was killed: ${end.detail}` };
    if (end.kind === 'flood') {
      return { verdict: 'busy-loop', summary: `the client printed without end (${end.bytes} bytes): a loop that does not stop on b''`, observed: JSON.stringify(out.text.slice(-200)) };
    }
    if (end.kind === 'running') {
      const when = obs.over ? 'after the server had closed the connection' : 'after the session went wrong';
      if (obs.verdict !== 'pass' && obs.verdict !== 'hang') return obs;
      return {
        verdict: end.spinning ? 'busy-loop' : 'hang',
        summary: `the client was still running ${(stepMs / 1000).toFixed(1)} s ${when}${end.spinning ? ', spinning at full CPU' : ''}`,
        expected: "the client notices the end of stream (recv returns b'') and exits",
        observed: obs.verdict === 'hang' ? obs.summary : `it printed ${JSON.stringify(out.text.slice(-200))}`,
      };
    }
    if (obs.verdict !== 'pass') return obs;
    const missing = (obs.printed ?? []).filter((t) => !out.text.includes(t));
    if (missing.length) {
      return {
        verdict: 'wrong-answer',
        summary: `the client did not print ${missing.length === 1 ? 'a reply' : `${missing.length} replies`} whole`,
        expected: `stdout holds ${JSON.stringify(missing[0])}`,
        observed: `stdout: ${JSON.stringify(out.text.slice(0, 400))}`,
        hint: this.profile === 'framed' ? 'read the 4-byte header until you have all 4 bytes, then the body until you have all of it' : 'an unframed client cannot know where a reply ends: use the framed profile to fix it',
      };
    }
    return { verdict: 'pass', summary: 'as expected' };
  }

  private async finish(run: ClientRun, eps: Endpoint[]): Promise<void> {
    for (const ep of eps) ep.abandon();
    await run.stop();
  }
}
