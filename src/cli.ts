// sockspec's command line: argument parsing and wiring only. Exit codes: 0 every MUST and
// ROBUST clause passed; 1 findings; 2 usage or setup error.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lookup } from 'node:dns/promises';
import { isSockspecError, TargetError, UsageError } from './harness/errors';
import { Runner, type ProgressEvent } from './harness/runner';
import { hasFindings, type ClauseResult, type RunResult } from './harness/runner/results';
import { InProcessTarget } from './harness/targets/in-process';
import { RemoteTarget } from './harness/targets/remote';
import { SpawnTarget } from './harness/targets/spawn';
import type { Target } from './harness/targets/types';
import { renderHtml } from './harness/report/html';
import { toJUnit } from './harness/report/junit';
import { resultsToJson } from './harness/report/serialize';
import { ANSI, findingText, NO_COLOR, summaryTable, type Paint } from './harness/report/terminal';
import { levelOf } from './harness/clause';
import { VERSION } from './harness/version';
import { stopSockDiag } from './harness/sockdiag';
import { allBuiltins, findBuiltin, findProtocol, PROTOCOLS } from './protocols';
import { DEFAULT_SETTINGS, PROFILES, type Profile, type Protocol, type Settings } from './protocols/types';

const HELP = `sockspec ${VERSION}: tests TCP socket servers the way the network really delivers bytes.

Usage:
  sockspec fuzz --protocol hello|bot|upload|auth [--profile lesson|framed]
                (--spawn "python3 server.py {port}" | --connect HOST:PORT | --builtin NAME)
                [--port N] [--runs N] [--seed S] [--time-limit SEC] [--step-timeout MS]
                [--reply TEXT] [--report DIR] [--json FILE] [--junit FILE]
                [--record-dir DIR] [--keep] [--quiet] [--clause ID]... [--path PATH]
  sockspec list              protocols, profiles, clauses with levels, built-in targets
  sockspec start             the main job on the built-in examples (what npm start runs)
  sockspec --help | --version

Exit codes: 0 every MUST and ROBUST clause passed, 1 findings, 2 usage or setup error.`;

type FlagKind = 'string' | 'number' | 'boolean' | 'list';
const FUZZ_FLAGS: Record<string, FlagKind> = {
  protocol: 'string',
  profile: 'string',
  spawn: 'string',
  connect: 'string',
  builtin: 'string',
  port: 'number',
  runs: 'number',
  seed: 'number',
  'time-limit': 'number',
  'step-timeout': 'number',
  reply: 'string',
  report: 'string',
  json: 'string',
  junit: 'string',
  'record-dir': 'string',
  keep: 'boolean',
  quiet: 'boolean',
  clause: 'list',
  path: 'string',
};

type Parsed = Record<string, string | number | boolean | string[] | undefined>;

export function parseFlags(args: string[], spec: Record<string, FlagKind>): Parsed {
  const out: Parsed = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}" (flags start with --; see sockspec --help)`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown flag --${name} (see sockspec --help)`);
    if (kind === 'boolean') {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'number') {
      if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not "${value}"`);
      out[name] = Number(value);
    } else if (kind === 'list') out[name] = [...((out[name] as string[] | undefined) ?? []), value];
    else out[name] = value;
  }
  return out;
}

interface FuzzPlan {
  protocol: Protocol;
  profile: Profile;
  settings: Settings;
  target: Target;
  targetFlag: string;
  seed: number;
  runs: number;
  stepMs: number;
  timeLimitMs: number;
  flags: Parsed;
}

function quoteArg(s: string): string {
  return /^[\w@%+=:,./{}-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function planFuzz(f: Parsed): Promise<FuzzPlan> {
  const name = f.protocol as string | undefined;
  if (!name) throw new UsageError(`--protocol is required (one of ${PROTOCOLS.map((p) => p.name).join(', ')})`);
  const protocol = findProtocol(name);
  if (!protocol) throw new UsageError(`unknown protocol "${name}" (one of ${PROTOCOLS.map((p) => p.name).join(', ')})`);
  const profile = ((f.profile as string | undefined) ?? 'lesson') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`unknown profile "${profile}" (lesson or framed)`);
  const chosen = (['spawn', 'connect', 'builtin'] as const).filter((k) => f[k] !== undefined);
  if (chosen.length !== 1) throw new UsageError('give exactly one target: --spawn "CMD {port}", --connect HOST:PORT or --builtin NAME');
  const settings: Settings = { ...DEFAULT_SETTINGS, ...(f.reply !== undefined ? { helloReply: f.reply as string } : {}) };
  if (settings.helloReply === '') throw new UsageError('--reply cannot be empty');
  const keep = !!f.keep;
  let target: Target;
  let targetFlag: string;
  if (f.builtin !== undefined) {
    const b = findBuiltin(f.builtin as string);
    if (!b) throw new UsageError(`unknown built-in "${f.builtin}" (sockspec list shows them)`);
    if (b.protocol !== protocol.name || !b.profiles.includes(profile)) throw new UsageError(`the built-in ${b.name} speaks ${b.protocol} (${b.profiles.join(', ')}), not ${protocol.name} (${profile})`);
    target = new InProcessTarget(b, profile, settings, protocol.prepareDir, keep);
    targetFlag = `--builtin ${b.name}`;
  } else if (f.spawn !== undefined) {
    const command = f.spawn as string;
    if (!command.trim()) throw new UsageError('--spawn needs a command');
    if (f.port !== undefined && ((f.port as number) < 1 || (f.port as number) > 65535)) throw new UsageError('--port must be between 1 and 65535');
    target = new SpawnTarget({ command, port: f.port as number | undefined, cwd: process.cwd(), prepareDir: protocol.prepareDir, startTimeoutMs: 10_000, keep });
    targetFlag = `--spawn ${quoteArg(command)}${f.port !== undefined ? ` --port ${f.port}` : ''}`;
  } else {
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(f.connect as string);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new UsageError(`--connect takes HOST:PORT, not "${f.connect}"`);
    const host = m[1].replace(/^\[|\]$/g, '');
    try {
      await lookup(host);
    } catch {
      throw new TargetError('ERR_UNREACHABLE', `cannot resolve the host "${host}"`);
    }
    target = new RemoteTarget(host, Number(m[2]));
    targetFlag = `--connect ${f.connect}`;
  }
  const clauses = (f.clause as string[] | undefined) ?? [];
  for (const id of clauses) {
    const c = protocol.clauses.find((x) => x.id === id);
    if (!c) throw new UsageError(`unknown clause "${id}" for ${protocol.name} (sockspec list shows them)`);
    if (!c.profiles.includes(profile)) throw new UsageError(`the clause ${id} does not apply to the ${profile} profile`);
  }
  if (f.path !== undefined && clauses.length !== 1) throw new UsageError('--path replays one counterexample: give exactly one --clause with it');
  const runs = (f.runs as number | undefined) ?? 25;
  if (runs < 1) throw new UsageError('--runs must be at least 1');
  return {
    protocol,
    profile,
    settings,
    target,
    targetFlag,
    seed: (f.seed as number | undefined) ?? Math.floor(Math.random() * 2 ** 31),
    runs,
    stepMs: (f['step-timeout'] as number | undefined) ?? 2000,
    timeLimitMs: ((f['time-limit'] as number | undefined) ?? 60) * 1000,
    flags: f,
  };
}

function replayCommand(plan: FuzzPlan, c: ClauseResult): string {
  const reply = plan.settings.helloReply !== DEFAULT_SETTINGS.helloReply ? ` --reply ${quoteArg(plan.settings.helloReply)}` : '';
  return `npx sockspec fuzz --protocol ${plan.protocol.name} --profile ${plan.profile} ${plan.targetFlag}${reply} --seed ${c.seed} --clause ${c.id}${c.path ? ` --path ${c.path}` : ''}`;
}

function writeOutputs(runs: RunResult[], f: Parsed, command: string, replay: (r: RunResult, c: ClauseResult) => string): string[] {
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, text);
    written.push(file);
  };
  if (f.json) write(f.json as string, resultsToJson(runs.length === 1 ? runs[0] : runs));
  if (f.junit) write(f.junit as string, toJUnit(runs));
  if (f.report) write(path.join(f.report as string, 'index.html'), renderHtml(runs, { command, replayCommand: replay }));
  return written;
}

async function fuzz(args: string[], out: NodeJS.WriteStream, paint: Paint): Promise<number> {
  const f = parseFlags(args, FUZZ_FLAGS);
  const plan = await planFuzz(f);
  const quiet = !!f.quiet;
  const say = (s: string) => {
    if (!quiet) out.write(`${s}\n`);
  };
  say(`sockspec ${VERSION}: ${plan.protocol.name}/${plan.profile} against ${plan.target.description}, seed ${plan.seed}`);
  try {
    await plan.target.start();
  } catch (e) {
    await plan.target.stop();
    throw e;
  }
  const clauses = (f.clause as string[] | undefined) ?? [];
  const runner = new Runner(plan.protocol, plan.profile, plan.settings, plan.target, {
    seed: plan.seed,
    runs: plan.runs,
    stepMs: plan.stepMs,
    timeLimitMs: plan.timeLimitMs,
    only: clauses,
    path: f.path as string | undefined,
    onProgress: (e: ProgressEvent) => {
      if (quiet) return;
      if (e.kind === 'clause-start' && out.isTTY) out.write(`[${e.index + 1}/${e.total}] ${e.id} …\r`);
      if (e.kind === 'clause-end') out.write(`[${e.index + 1}/${e.total}] ${e.result.id.padEnd(34)} ${e.result.status === 'pass' ? paint.green('pass') : e.result.status === 'not-run' ? paint.dim('not run') : e.result.effectiveLevel === 'ADVISORY' ? paint.yellow(e.result.verdict) : paint.red(e.result.verdict)} ${paint.dim(`(${e.result.durationMs} ms)`)}\x1b[K\n`.replace(out.isTTY ? '' : '\x1b[K', ''));
    },
  });
  let result: RunResult;
  try {
    result = await runner.run();
  } finally {
    await plan.target.stop();
  }
  const command = `npx sockspec fuzz --protocol ${plan.protocol.name} --profile ${plan.profile} ${plan.targetFlag} --seed ${plan.seed} --runs ${plan.runs}`;
  say('');
  say(summaryTable(result, paint));
  for (const c of result.clauses.filter((x) => x.status === 'fail')) {
    say('');
    say(findingText(c, replayCommand(plan, c), paint));
  }
  const notRun = result.clauses.filter((c) => c.status === 'not-run');
  if (result.timedOut) say(`\nThe time limit stopped the run: not finished: ${notRun.map((c) => c.id).join(', ')}`);
  for (const file of writeOutputs([result], f, command, (_r, c) => replayCommand(plan, c))) say(`wrote ${file}`);
  const failing = result.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY').length;
  say(`\n${failing ? paint.red(`${failing} MUST/ROBUST clause(s) failed`) : paint.green('every MUST and ROBUST clause that ran passed')} · restarts: ${result.restarts} · ${(result.durationMs / 1000).toFixed(1)} s · reproduce: ${command}`);
  return hasFindings(result) ? 1 : 0;
}

function list(out: NodeJS.WriteStream): number {
  for (const p of PROTOCOLS) {
    out.write(`${p.name}: ${p.title} (profiles: ${p.profiles.join(', ')})\n`);
    for (const c of p.clauses) {
      const lv = PROFILES.filter((x) => c.profiles.includes(x)).map((x) => `${x} ${levelOf(c, x)}`).join(', ');
      out.write(`  ${c.id.padEnd(34)} ${lv}\n`);
    }
  }
  out.write('\nbuilt-in targets (--builtin NAME):\n');
  for (const b of allBuiltins()) out.write(`  ${b.name.padEnd(28)} ${b.protocol}/${b.profiles.join(',')}  ${b.faithful ? '(lesson-faithful) ' : ''}${b.description}\n`);
  return 0;
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const paint = out.isTTY && !process.env.NO_COLOR ? ANSI : NO_COLOR;
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      out.write(`${HELP}\n`);
      return cmd ? 0 : 2;
    }
    if (cmd === '--version' || cmd === '-v') {
      out.write(`${VERSION}\n`);
      return 0;
    }
    if (cmd === 'fuzz') return await fuzz(rest, out, paint);
    if (cmd === 'list') return list(out);
    if (cmd === 'start') return await (await import('./start')).start(rest, out, paint);
    throw new UsageError(`unknown command "${cmd}" (fuzz, list, start; see sockspec --help)`);
  } catch (e) {
    if (isSockspecError(e)) {
      err.write(`sockspec: ${e.message}\n`);
      if (e instanceof TargetError && e.stderrTail) err.write(`the server's stderr:\n${e.stderrTail.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
      return e.exitCode;
    }
    throw e;
  } finally {
    stopSockDiag();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`sockspec: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(3);
    },
  );
}

