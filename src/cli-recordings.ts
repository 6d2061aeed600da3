// Commands on recordings: replay, record (a recording proxy), export-pcap and show.
import { buildTarget, CONFINEMENT_FLAGS, parseFlags, type FlagKind } from './cli-args';
import { UsageError } from './harness/errors';
import { Runner } from './harness/runner';
import { hasFindings } from './harness/runner/results';
import { loadRecording, readRecording } from './harness/recording/load';
import type { RecordingHeader } from './harness/recording/schema';
import type { TranscriptEvent } from './harness/transcript';
import { exportPcapng } from './harness/recording/pcapng';
import { startRecorder } from './harness/recording/proxy';
import { replay } from './harness/recording/replay';
import { showRecording } from './harness/recording/show';
import { resultsToJson } from './harness/report/serialize';
import { findingText, type Paint } from './harness/report/terminal';
import { VERSION } from './harness/version';
import { findProtocol } from './protocols';
import { PROFILES, type Profile } from './protocols/types';
import { writeFileSync } from 'node:fs';

const REPLAY_FLAGS: Record<string, FlagKind> = { spawn: 'string', connect: 'string', builtin: 'string', port: 'number', judge: 'boolean', timing: 'string', json: 'string', 'step-timeout': 'number', keep: 'boolean', ...CONFINEMENT_FLAGS };

function oneFile(args: string[], what: string): [string, string[]] {
  const [file, ...rest] = args;
  if (!file || file.startsWith('--')) throw new UsageError(`${what} needs a recording file first`);
  return [file, rest];
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
  const settings: unknown = { ...(protocol.defaults as object), ...(rec.header.settings ?? {}) };
  const stepMs = (f['step-timeout'] as number | undefined) ?? 2000;
  const { target } = await buildTarget(f, protocol, rec.header.profile, settings);
  if (f.judge) {
    const { clause, seed, path } = rec.header;
    if (!clause || seed === undefined || !path) throw new UsageError('this recording names no clause, seed and path to judge (it was not saved by fuzz)');
    if (!protocol.clauses.some((c) => c.id === clause)) throw new UsageError(`the recording's clause ${clause} is unknown to this sockspec`);
    await target.start();
    try {
      const r = await new Runner(protocol, rec.header.profile, settings, target, { seed, runs: 1, stepMs, timeLimitMs: 120_000, only: [clause], path }).run();
      const c = r.clauses[0];
      if (f.json) writeFileSync(f.json as string, resultsToJson(r));
      if (c.status === 'pass') out.write(`${paint.green('pass')}: ${clause} now passes on this server\n`);
      else out.write(`${findingText(c, `npx sockspec replay ${file} --judge ...`, paint)}\n`);
      return hasFindings(r) ? 1 : c.status === 'pass' ? 0 : 1;
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
  const d = result.divergence!;
  const where = d.conn === undefined ? '' : ` on connection #${d.conn} at offset ${d.offset}`;
  out.write(`${paint.red('diverged')}${where}: ${d.what}${took}\n  recorded: ${d.expected.hex}  ${d.expected.text}\n  observed: ${d.observed.hex}  ${d.observed.text}\n`);
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
