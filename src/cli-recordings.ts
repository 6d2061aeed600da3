// Commands on recordings: replay, record (a recording proxy), export-pcap and show.
import { buildTarget, clientTargetOf, CONFINEMENT_FLAGS, parseFlags, type FlagKind, type Parsed } from './cli-args';
import { UsageError } from './harness/errors';
import { Runner } from './harness/runner';
import { ClientRunner } from './harness/runner/client';
import { hasFindings, type RunResult } from './harness/runner/results';
import { loadRecording, readRecording } from './harness/recording/load';
import { playedSide, type RecordingHeader } from './harness/recording/schema';
import type { TranscriptEvent } from './harness/transcript';
import { exportPcapng } from './harness/recording/pcapng';
import { startRecorder } from './harness/recording/proxy';
import { replay, type Divergence } from './harness/recording/replay';
import { clientFiles, replayClient } from './harness/recording/replay-client';
import { showRecording } from './harness/recording/show';
import { resultsToJson } from './harness/report/serialize';
import { findingText, type Paint } from './harness/report/terminal';
import { VERSION } from './harness/version';
import { findProtocol } from './protocols';
import { PROFILES, type LessonProtocol, type Profile } from './protocols/types';
import { writeFileSync } from 'node:fs';

const REPLAY_FLAGS: Record<string, FlagKind> = { spawn: 'string', 'spawn-client': 'string', stdin: 'string', connect: 'string', builtin: 'string', port: 'number', judge: 'boolean', timing: 'string', json: 'string', 'step-timeout': 'number', keep: 'boolean', ...CONFINEMENT_FLAGS };

function oneFile(args: string[], what: string): [string, string[]] {
  const [file, ...rest] = args;
  if (!file || file.startsWith('--')) throw new UsageError(`${what} needs a recording file first`);
  return [file, rest];
}

/** Which target flags a recording takes: a server's (--spawn, --connect, --builtin) or a client's (--spawn-client); one sentence when the wrong kind is given. */
function checkReplayTarget(file: string, header: RecordingHeader, f: Parsed): void {
  const serverFlags = (['spawn', 'connect', 'builtin'] as const).filter((k) => f[k] !== undefined);
  if (playedSide(header) === 'server') {
    if (serverFlags.length || f['spawn-client'] === undefined) {
      throw new UsageError(`${file} recorded a client under test (sockspec played the server): replay it with --spawn-client "python3 client.py {port}"${serverFlags.length ? `, not --${serverFlags[0]}` : ''}`);
    }
    return;
  }
  if (f['spawn-client'] !== undefined) throw new UsageError(`${file} recorded a server under test (sockspec played the client): replay it with --spawn "CMD {port}", --connect HOST:PORT or --builtin NAME, not --spawn-client`);
  if (f.stdin !== undefined) throw new UsageError('--stdin is the input of a client under test: it goes with --spawn-client');
}

/** A divergence in the replay's words: where, what, then the recorded and observed bytes (or closes, or endings). */
function divergenceText(d: Divergence, took: string, paint: Paint): string {
  const where = d.conn === undefined ? '' : d.offset === undefined ? ` on connection #${d.conn}` : ` on connection #${d.conn} at offset ${d.offset}`;
  return `${paint.red('diverged')}${where}: ${d.what}${took}\n  recorded: ${d.expected.hex}  ${d.expected.text}\n  observed: ${d.observed.hex}  ${d.observed.text}\n`;
}

export async function replayCommand(args: string[], out: NodeJS.WriteStream, paint: Paint): Promise<number> {
  const [file, rest] = oneFile(args, 'replay');
  const f = parseFlags(rest, REPLAY_FLAGS);
  const timing = (f.timing as string | undefined) ?? 'recorded';
  if (timing !== 'recorded' && timing !== 'fast') throw new UsageError(`--timing is recorded or fast, not "${timing}"`);
  const reader = readRecording(file);
  const header = reader.next().value as RecordingHeader; // readRecording checks it before yielding
  const rec = { header };
  const protocol = findProtocol(rec.header.protocol);
  if (!protocol) throw new UsageError(`the recording speaks ${rec.header.protocol}, which this sockspec does not know`);
  checkReplayTarget(file, header, f);
  const settings: unknown = { ...(protocol.defaults as object), ...(rec.header.settings ?? {}) };
  const stepMs = (f['step-timeout'] as number | undefined) ?? 2000;
  // A client's steps are as long as the recorded run's (raised there for a slow client), unless --step-timeout says otherwise.
  const clientStepMs = (f['step-timeout'] as number | undefined) ?? header.stepMs ?? 2000;
  if (playedSide(header) === 'server') return replayClientCommand(file, reader as Iterable<TranscriptEvent>, header, protocol, settings, f, { timing, stepMs: clientStepMs }, out, paint);
  const { target } = await buildTarget(f, protocol, rec.header.profile, settings);
  if (f.judge) {
    const { clause, seed, path } = rec.header;
    if (!clause || seed === undefined || !path) throw new UsageError('this recording names no clause, seed and path to judge (it was not saved by fuzz)');
    if (!protocol.clauses.some((c) => c.id === clause)) throw new UsageError(`the recording's clause ${clause} is unknown to this sockspec`);
    await target.start();
    try {
      const r = await new Runner(protocol, rec.header.profile, settings, target, { seed, runs: 1, stepMs, timeLimitMs: 120_000, only: [clause], path }).run();
      return judged(r, clause, file, 'server', f, out, paint);
    } finally {
      await target.stop();
    }
  }
  await target.start();
  let result;
  try {
    // A remote server's process cannot be watched: only its bytes and closes are compared.
    const server = target.kind === 'remote' ? undefined : target;
    result = await replay(reader as Iterable<TranscriptEvent>, { host: target.host, port: target.port, timing, stepMs, server });
  } finally {
    await target.stop();
  }
  if (f.json) writeFileSync(f.json as string, `${JSON.stringify({ match: result.match, durationMs: result.durationMs, connections: result.connections, divergence: result.divergence }, null, 2)}\n`);
  for (const c of result.connections) {
    out.write(`connection #${c.conn}: server sent ${c.observedBytes} of ${c.expectedBytes} recorded bytes, closed with ${c.observedClose.toUpperCase()} (recorded ${c.expectedClose.toUpperCase()})\n`);
  }
  const took = paint.dim(` (replayed in ${(result.durationMs / 1000).toFixed(2)} s)`);
  if (result.match) {
    out.write(`${paint.green('match: the server sent the recorded bytes and closes')}${took}\n`);
    return 0;
  }
  out.write(divergenceText(result.divergence!, took, paint));
  return 1;
}

/** --judge: the recorded clause's verdict on this server or client, in fuzz's words. */
function judged(r: RunResult, clause: string, file: string, tested: 'server' | 'client', f: Parsed, out: NodeJS.WriteStream, paint: Paint): number {
  const c = r.clauses[0];
  if (f.json) writeFileSync(f.json as string, resultsToJson(r));
  if (c.status === 'pass') out.write(`${paint.green('pass')}: ${clause} now passes on this ${tested}\n`);
  else out.write(`${findingText(c, `npx sockspec replay ${file} --judge ...`, paint)}\n`);
  return hasFindings(r) ? 1 : c.status === 'pass' ? 0 : 1;
}

/** A client's finding: sockspec listens, starts the client as recorded and plays the recorded server side to it. */
async function replayClientCommand(
  file: string,
  events: Iterable<TranscriptEvent>,
  header: RecordingHeader,
  protocol: LessonProtocol<unknown>,
  settings: unknown,
  f: Parsed,
  how: { timing: 'recorded' | 'fast'; stepMs: number },
  out: NodeJS.WriteStream,
  paint: Paint,
): Promise<number> {
  const command = f['spawn-client'] as string;
  if (!command.trim()) throw new UsageError('--spawn-client needs the command that starts the client, with {port} where the port goes');
  const client = header.client!; // checked when the header was read
  if (f.judge) {
    const { clause, seed, path } = header;
    if (!clause || seed === undefined || !path) throw new UsageError('this recording names no clause, seed and path to judge (it was not saved by fuzz-client)');
    if (!(protocol.clientClauses ?? []).some((c) => c.id === clause)) throw new UsageError(`the recording's clause ${clause} is unknown to this sockspec`);
    // The judged session gives the client the recorded stdin too (or --stdin's).
    const { target } = clientTargetOf(f, command, client.stdin);
    await target.start();
    try {
      const r = await new ClientRunner(protocol, header.profile, settings, target, { seed, runs: 1, stepMs: how.stepMs, timeLimitMs: 120_000, only: [clause], path }).run();
      return judged(r, clause, file, 'client', f, out, paint);
    } finally {
      await target.stop();
    }
  }
  const clause = (protocol.clientClauses ?? []).find((c) => c.id === header.clause);
  const files = clientFiles(file, client, clause && ((input) => clause.script(input, settings, header.profile).files ?? {}), header.sockspecVersion);
  const { target } = clientTargetOf(f, command);
  await target.start();
  let result;
  try {
    result = await replayClient(events, target, { ...how, stdin: client.stdin, files, verdict: header.verdict, summary: header.summary, file });
  } finally {
    await target.stop();
  }
  if (f.json) writeFileSync(f.json as string, `${JSON.stringify({ match: result.match, durationMs: result.durationMs, connections: result.connections, ending: result.ending, divergence: result.divergence }, null, 2)}\n`);
  for (const c of result.connections) {
    out.write(`connection #${c.conn}: client sent ${c.observedBytes} of ${c.expectedBytes} recorded bytes, closed with ${c.observedClose.toUpperCase()} (recorded ${c.expectedClose.toUpperCase()})\n`);
  }
  out.write(`client: ${result.ending.observed} (recorded: ${result.ending.recorded})\n`);
  const took = paint.dim(` (replayed in ${(result.durationMs / 1000).toFixed(2)} s)`);
  if (result.match) {
    out.write(`${paint.green('match: the client sent the recorded bytes and closes, and ended as recorded')}${took}\n`);
    return 0;
  }
  out.write(divergenceText(result.divergence!, took, paint));
  if (result.stderrTail) out.write(`client's stderr (last lines):\n${result.stderrTail.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  return 1;
}

export async function recordCommand(args: string[], out: NodeJS.WriteStream): Promise<number> {
  const f = parseFlags(args, { listen: 'number', upstream: 'string', out: 'string', protocol: 'string', profile: 'string' });
  if (f.listen === undefined || !f.upstream || !f.out) throw new UsageError('record needs --listen PORT --upstream HOST:PORT --out FILE');
  const m = /^(.+):(\d{1,5})$/.exec(f.upstream as string);
  if (!m) throw new UsageError(`--upstream takes HOST:PORT, not "${f.upstream}"`);
  const protocol = (f.protocol as string | undefined) ?? 'unknown';
  if (f.protocol !== undefined && !findProtocol(protocol)) throw new UsageError(`unknown protocol "${protocol}"`);
  const profile = ((f.profile as string | undefined) ?? 'lesson') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`unknown profile "${profile}" (lesson or framed)`);
  const rec = await startRecorder({ listenPort: f.listen as number, upstreamHost: m[1], upstreamPort: Number(m[2]), out: f.out as string, protocol, profile, version: VERSION });
  out.write(`recording 127.0.0.1:${rec.port} -> ${f.upstream} into ${f.out}; press Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await rec.stop();
  out.write(`\nwrote ${f.out} (${rec.connections} connection${rec.connections === 1 ? '' : 's'})\n`);
  return 0;
}

export function exportPcapCommand(args: string[], out: NodeJS.WriteStream): number {
  const [file, rest] = oneFile(args, 'export-pcap');
  const [target, ...extra] = rest;
  if (!target || extra.length) throw new UsageError('usage: sockspec export-pcap FILE.cbor OUT.pcapng');
  exportPcapng(loadRecording(file), target);
  out.write(`wrote ${target}\n`);
  return 0;
}

export function showCommand(args: string[], out: NodeJS.WriteStream): number {
  const [file, rest] = oneFile(args, 'show');
  if (rest.length) throw new UsageError('usage: sockspec show FILE');
  out.write(`${showRecording(loadRecording(file))}\n`);
  return 0;
}
