// sockspec's command line: argument parsing and wiring only. Exit codes: 0 every MUST and
// ROBUST clause passed; 1 findings; 2 usage or setup error.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSockspecError, TargetError, UsageError } from './harness/errors';
import { buildTarget, clientTargetOf, CONFINEMENT_FLAGS, langFromFlags, parseFlags, type FlagKind, type Parsed } from './cli-args';
import { shellQuote } from './harness/targets/spawn';
import { exportPcapCommand, recordCommand, replayCommand, showCommand } from './cli-recordings';
import { saveFindings } from './harness/recording/findings';
import { loadResults, mergeShards, shardOf } from './harness/runner/merge';
import { Runner, type ProgressEvent } from './harness/runner';
import { ClientRunner } from './harness/runner/client';
import type { ClientTarget } from './harness/targets/client';
import { CUT_BY_TIME, EXIT, exitCodeOf, hasFindings, unfinished, type ClauseResult, type PoliteResult, type RunResult } from './harness/runner/results';
import type { Target } from './harness/targets/types';
import { renderHtml } from './harness/report/html';
import type { Lang } from './harness/report/i18n';
import { toJUnit } from './harness/report/junit';
import { toGrading } from './harness/report/grading';
import { resultsToJson } from './harness/report/serialize';
import { ANSI, findingText, NO_COLOR, statusWord, summaryTable, type Paint } from './harness/report/terminal';
import { levelOf } from './harness/clause';
import { FAULT_LIST } from './harness/faults';
import { VERSION } from './harness/version';
import { allBuiltins, findProtocol, PROTOCOLS } from './protocols';
import { PROFILES, type Profile, type Protocol } from './protocols/types';
import { describeVariant, variantFlagHelp, readVariantFile, settingsFromVariant, variantArgs, variantFlagKinds, variantFromFlags, variantOf } from './protocols/variant';
import { REPLY_CAP, sessionContext } from './harness/runner/context';

const help = () => `sockspec ${VERSION}: tests TCP socket servers the way the network really delivers bytes.

Usage:
  sockspec fuzz --protocol ${PROTOCOLS.map((p) => p.name).join('|')} [--profile lesson|framed]
                (--spawn "python3 server.py {port}" | --connect HOST:PORT | --builtin NAME)
                [--port N] [--runs N] [--seed S] [--time-limit SEC] [--step-timeout MS]
                [--variant FILE | variant flags] [--report DIR] [--json FILE] [--junit FILE]
                [--record-dir DIR] [--keep] [--quiet] [--clause ID]... [--path PATH] [--lang zh|en]
  confinement (fuzz, learn, replay with --spawn): [--no-isolation] [--limit-mem 4G]
                [--limit-procs 64] [--limit-file 2G]
  sockspec fuzz-client --protocol P [--profile lesson|framed] --spawn "python3 client.py {port}"
                [--port N] [--stdin FILE] [fuzz flags: --runs --seed --time-limit --json ...]
                             test a student's client: sockspec plays the server (--port N: listen
                             where a client that hard-codes its port connects, the course's 8001)
  sockspec learn --protocol P [--profile X] (--spawn ... | --connect ...) [variant flags] --out FILE
                             infer a course variant from a working solution
  variant flags (each protocol's settings.ts):
${variantFlagHelp().map((line) => `    ${line}`).join('\n')}
  sockspec list              protocols, profiles, clauses with levels and faults, the fault table, built-in targets
  sockspec replay FILE (--spawn "CMD {port}" | --connect HOST:PORT | --builtin NAME)
                  [--judge] [--timing recorded|fast] [--json FILE]
  sockspec replay FILE --spawn-client "python3 client.py {port}" [--port N] [--judge]
                  [--timing recorded|fast] [--json FILE]
                             a client's finding (from fuzz-client): sockspec plays the recorded
                             server side to the client, started with the recorded stdin and files
  sockspec record --listen PORT --upstream HOST:PORT --out FILE [--protocol P --profile X]
  sockspec export-pcap FILE.cbor OUT.pcapng
  sockspec show FILE         a recording as text (hex and text, both directions)
  sockspec report RESULTS.json... --out DIR [--junit FILE] [--grading FILE] [--lang zh|en]
                             merge many runs' results (a class, or shards) into one report
  sockspec grade DIR --protocol P [--profile X] [variant flags] [--entry FILE] [--jobs N]
                [--out DIR] [--force] [--lang zh|en] [--shard i/n] [--report-only] [--single]
                [--port N] [--title TEXT] [--python CMD] [--quiet] [fuzz flags: --runs --time-limit --seed ...]
                             grade a class: each subfolder (or .py file) of DIR is a submission,
                             fuzzed in its own copy, N at a time; writes OUT/index.html (class
                             report), OUT/scores.csv and OUT/students/NAME/; a re-run reuses the
                             results whose source, flags and sockspec did not change
  sockspec autograder --out DIR --protocol P [grade flags] [--sockspec NPM-SPEC] [--no-zip]
                             write a Gradescope autograder (setup.sh, run_autograder, zip)
  sockspec start [--jobs N] [--force]
                             the main job on the built-in examples (what npm start runs): grades
                             examples/ (one class per protocol and profile), fuzzes the built-in
                             servers and example clients, writes reports/index.html
  sockspec --help | --version

--lang zh|en (fuzz, report, grade): the language of each clause's DESCRIPTION and EXPECTATION
and of the verdict words in the terminal and the reports (grade: of every word it writes);
default zh when LC_ALL, LC_MESSAGES or LANG is a Chinese locale, else en.

Exit codes: 0 every MUST and ROBUST clause passed (replay: the server or client matched), 1
findings (replay: it diverged), 2 usage or setup error (bad flag, bad recording, unreachable target),
3 internal error, 4 incomplete: no finding, but some MUST/ROBUST clause could not run its
boundary cases in the time limit (give it more with --time-limit SEC), 141 the output's reader
stopped early (| head): the command stopped there.`;

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
  report: 'string',
  json: 'string',
  junit: 'string',
  'record-dir': 'string',
  keep: 'boolean',
  quiet: 'boolean',
  clause: 'list',
  path: 'string',
  grading: 'string',
  shard: 'string',
  variant: 'string',
  'shrink-time': 'number',
  lang: 'string',
  ...CONFINEMENT_FLAGS,
  ...variantFlagKinds(),
};

/** Which side sockspec tests: a server (fuzz, sockspec the client) or a client (fuzz-client, sockspec the server). */
type Role = 'server' | 'client';

interface FuzzPlan {
  role: Role;
  protocol: Protocol;
  profile: Profile;
  settings: unknown;
  target: Target;
  targetFlag: string;
  seed: number;
  runs: number;
  stepMs: number;
  timeLimitMs: number;
  /** --lang: the clause texts and verdict words of the terminal and the report. */
  lang: Lang;
  flags: Parsed;
}

/** The variant in force: the course's strings, then a --variant file, then single flags. */
export function settingsFromFlags(f: Parsed, protocol: string): unknown {
  const variant = f.variant !== undefined ? readVariantFile(protocol, f.variant as string) : {};
  const flags = variantFromFlags(protocol, f);
  if (!Object.keys(flags).length) return f.variant !== undefined ? settingsFromVariant(protocol, variant) : { ...(findProtocol(protocol)?.defaults as object | undefined) };
  if (flags.reply !== undefined) delete variant.reply_hex; // --reply replaces the file's reply, in either form
  return settingsFromVariant(protocol, { ...variant, ...flags }, 'the flags');
}

/** The client under test, from --spawn (and --port for a client that hard-codes it, --stdin for its input). */
function buildClientTarget(f: Parsed): { target: ClientTarget; targetFlag: string } {
  if (f.connect !== undefined || f.builtin !== undefined) throw new UsageError('fuzz-client starts the client itself: give --spawn "python3 client.py {port}" (not --connect or --builtin)');
  const command = f.spawn as string | undefined;
  if (!command?.trim()) throw new UsageError('fuzz-client needs --spawn "python3 client.py {port}" (or --port N for a client that hard-codes its port)');
  const { target, flags } = clientTargetOf(f, command);
  return { target, targetFlag: `--spawn ${shellQuote(command)}${flags}` };
}

export async function planFuzz(f: Parsed, role: Role = 'server'): Promise<FuzzPlan> {
  const name = f.protocol as string | undefined;
  if (!name) throw new UsageError(`--protocol is required (one of ${PROTOCOLS.map((p) => p.name).join(', ')})`);
  const protocol = findProtocol(name);
  if (!protocol) throw new UsageError(`unknown protocol "${name}" (one of ${PROTOCOLS.map((p) => p.name).join(', ')})`);
  const profile = ((f.profile as string | undefined) ?? 'lesson') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`unknown profile "${profile}" (lesson or framed)`);
  const settings = settingsFromFlags(f, protocol.name);
  const lang = langFromFlags(f);
  const { target, targetFlag } = role === 'client' ? buildClientTarget(f) : await buildTarget(f, protocol, profile, settings);
  const all = role === 'client' ? (protocol.clientClauses ?? []) : protocol.clauses;
  if (!all.length) throw new UsageError(`${protocol.name} has no ${role} clauses`);
  const clauses = (f.clause as string[] | undefined) ?? [];
  if (f.shard !== undefined && clauses.length) throw new UsageError('--shard and --clause cannot be combined');
  for (const id of clauses) {
    const c = all.find((x) => x.id === id);
    if (!c) throw new UsageError(`unknown clause "${id}" for ${protocol.name} (sockspec list shows them)`);
    if (!c.profiles.includes(profile)) throw new UsageError(`the clause ${id} does not apply to the ${profile} profile`);
  }
  if (f.path !== undefined && clauses.length !== 1) throw new UsageError('--path replays one counterexample: give exactly one --clause with it');
  if (f.shard !== undefined) {
    const slice = shardOf(all.filter((c) => c.profiles.includes(profile)), f.shard as string);
    f.clause = slice.map((c) => c.id);
    if (!slice.length) f.clause = ['(none)'];
  }
  const runs = (f.runs as number | undefined) ?? 25;
  if (runs < 1) throw new UsageError('--runs must be at least 1');
  if (f['time-limit'] !== undefined && (f['time-limit'] as number) < 1) throw new UsageError('--time-limit must be at least 1 (seconds)');
  return {
    role,
    protocol,
    profile,
    settings,
    target,
    targetFlag,
    seed: (f.seed as number | undefined) ?? Math.floor(Math.random() * 2 ** 31),
    runs,
    stepMs: (f['step-timeout'] as number | undefined) ?? 2000,
    timeLimitMs: ((f['time-limit'] as number | undefined) ?? 60) * 1000,
    lang,
    flags: f,
  };
}

/** The variant on a command line: the file it came from, or (when flags add to it) the flags that differ from the course. */
function variantFlags(plan: FuzzPlan): string {
  const added = Object.keys(variantFromFlags(plan.protocol.name, plan.flags)).length > 0;
  if (plan.flags.variant !== undefined && !added) return ` --variant ${shellQuote(plan.flags.variant as string)}`;
  return variantArgs(plan.protocol.name, plan.settings).map((a) => ` ${a.startsWith('--') ? a : shellQuote(a)}`).join('');
}

/** What the polite session that opens a run saw: the server's pace, and the step deadline it gets. */
function politeLine(p: PoliteResult, asked: number, paint: Paint): string {
  const pace = p.slowestReplyMs !== undefined ? `slowest reply ${Math.round(p.slowestReplyMs)} ms` : 'no reply timed';
  if (p.verdict !== 'pass') return `polite session: ${paint.red(p.verdict)}: ${p.summary}`;
  return `polite session: ${paint.green('pass')} (${pace}; step deadline ${p.stepMs} ms${p.stepMs > asked ? `, raised from ${asked} ms for a slow server` : ''})`;
}

function reproduceCommand(plan: FuzzPlan, c: ClauseResult): string {
  if (c.recording) return `npx sockspec replay ${shellQuote(c.recording)} ${plan.role === 'client' ? plan.targetFlag.replace(/^--spawn /, '--spawn-client ') : `${plan.targetFlag} --judge`}`;
  const reply = variantFlags(plan);
  return `npx sockspec ${commandOf(plan.role)} --protocol ${plan.protocol.name} --profile ${plan.profile} ${plan.targetFlag}${reply} --seed ${c.seed} --clause ${c.id}${c.path ? ` --path ${c.path}` : ''}`;
}

function writeOutputs(runs: RunResult[], f: Parsed, command: string, replay: (r: RunResult, c: ClauseResult) => string, lang: Lang): string[] {
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, text);
    written.push(file);
  };
  if (f.json) write(f.json as string, resultsToJson(runs.length === 1 ? runs[0] : runs));
  if (f.junit) write(f.junit as string, toJUnit(runs));
  if (f.grading) write(f.grading as string, `${JSON.stringify(toGrading(runs), null, 2)}\n`);
  if (f.report) write(path.join(f.report as string, 'index.html'), renderHtml(runs, { command, replayCommand: replay, lang }));
  return written;
}

const commandOf = (role: Role) => (role === 'client' ? 'fuzz-client' : 'fuzz');

async function fuzz(args: string[], out: NodeJS.WriteStream, paint: Paint, role: Role = 'server'): Promise<number> {
  const f = parseFlags(args, role === 'client' ? { ...FUZZ_FLAGS, stdin: 'string' } : FUZZ_FLAGS);
  const plan = await planFuzz(f, role);
  const quiet = !!f.quiet;
  const say = (s: string) => {
    if (!quiet) out.write(`${s}\n`);
  };
  say(`sockspec ${VERSION}: ${plan.protocol.name}/${plan.profile} against ${plan.target.description}, seed ${plan.seed}`);
  say(`variant: ${describeVariant(plan.protocol.name, plan.settings)}`);
  try {
    await plan.target.start();
  } catch (e) {
    await plan.target.stop();
    throw e;
  }
  const clauses = (f.clause as string[] | undefined) ?? [];
  let finished = 0;
  const runnerOf = role === 'client' ? (...a: ConstructorParameters<typeof Runner>) => new ClientRunner(a[0], a[1], a[2], a[3] as ClientTarget, a[4]) : (...a: ConstructorParameters<typeof Runner>) => new Runner(...a);
  const runner = runnerOf(plan.protocol, plan.profile, plan.settings, plan.target, {
    seed: plan.seed,
    runs: plan.runs,
    stepMs: plan.stepMs,
    timeLimitMs: plan.timeLimitMs,
    only: clauses,
    path: f.path as string | undefined,
    shrinkMs: f['shrink-time'] !== undefined ? (f['shrink-time'] as number) * 1000 : undefined,
    onProgress: (e: ProgressEvent) => {
      if (quiet) return;
      if (e.kind === 'polite') out.write(`${politeLine(e.polite, plan.stepMs, paint)}\n`);
      if (e.kind === 'clause-start' && out.isTTY) out.write(`[${finished + 1}/${e.total}] ${e.id} …\r`);
      // Clauses finish out of order (boundary cases first, exploration later): count them as they finish.
      if (e.kind === 'clause-end') out.write(`[${++finished}/${e.total}] ${e.result.id.padEnd(34)} ${statusWord(e.result, paint)} ${paint.dim(`(${e.result.durationMs} ms)`)}\x1b[K\n`.replace(out.isTTY ? '' : '\x1b[K', ''));
    },
  });
  let result: RunResult;
  try {
    result = await runner.run();
  } finally {
    await plan.target.stop();
  }
  result.variant = describeVariant(plan.protocol.name, plan.settings);
  Object.assign(result, plan.target.confinement?.());
  const recordDir = (f['record-dir'] as string | undefined) ?? path.join('recordings', 'findings');
  saveFindings(result, recordDir, plan.settings);
  const variantFlag = variantFlags(plan);
  const command = `npx sockspec ${commandOf(role)} --protocol ${plan.protocol.name} --profile ${plan.profile} ${plan.targetFlag}${variantFlag} --seed ${plan.seed} --runs ${plan.runs}`;
  say('');
  say(summaryTable(result, paint));
  for (const c of result.clauses.filter((x) => x.status === 'fail')) {
    say('');
    say(findingText(c, reproduceCommand(plan, c), paint, plan.lang));
  }
  const missing = unfinished(result);
  const blocked = result.clauses.filter((c) => c.status === 'blocked');
  if (blocked.length) say(`\n${blocked.length} clause(s) blocked by ${[...new Set(blocked.map((c) => c.blockedBy))].join(', ')}: they need what it found missing, so they were not tried (fix that first).`);
  // Not run for want of time, or for what this target cannot show (a remote server's files).
  const cannot = missing.filter((c) => c.status === 'not-run' && c.skipped !== CUT_BY_TIME);
  if (cannot.length) say(`\n${cannot.length} MUST/ROBUST clause(s) could not run on this target: ${cannot.map((c) => `${c.id} (${c.summary})`).join('; ')}.`);
  const cutShort = missing.filter((c) => c.status !== 'blocked' && !cannot.includes(c));
  if (cutShort.length) {
    say(`\nThe time limit (${plan.timeLimitMs / 1000} s) ran out before ${cutShort.length} MUST/ROBUST clause(s) had run their boundary cases: ${cutShort.map((c) => c.id).join(', ')}.`);
    say(`Give the run more time: --time-limit ${Math.ceil((plan.timeLimitMs / 1000) * 2)} (or run them alone with --clause ID).`);
  }
  for (const file of writeOutputs([result], f, command, (_r, c) => reproduceCommand(plan, c), plan.lang)) say(`wrote ${file}`);
  const failing = result.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY').length;
  const code = exitCodeOf([result]);
  const verdict = failing ? paint.red(`${failing} MUST/ROBUST clause(s) failed`) : code === EXIT.incomplete ? paint.yellow(`incomplete: no finding, but ${missing.length} MUST/ROBUST clause(s) did not run, so this is not a pass`) : paint.green('every MUST and ROBUST clause passed');
  say(`\n${verdict} · restarts: ${result.restarts} · ${(result.durationMs / 1000).toFixed(1)} s · reproduce: ${command}`);
  return code;
}

async function learnCommand(args: string[], out: NodeJS.WriteStream): Promise<number> {
  const f = parseFlags(args, { protocol: 'string', profile: 'string', spawn: 'string', connect: 'string', builtin: 'string', port: 'number', out: 'string', 'step-timeout': 'number', keep: 'boolean', variant: 'string', ...CONFINEMENT_FLAGS, ...variantFlagKinds() });
  const protocol = findProtocol((f.protocol as string | undefined) ?? '');
  if (!protocol) throw new UsageError(`learn needs --protocol (one of ${PROTOCOLS.map((p) => p.name).join(', ')})`);
  const profile = ((f.profile as string | undefined) ?? 'lesson') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`unknown profile "${profile}" (lesson or framed)`);
  if (!f.out) throw new UsageError('learn needs --out FILE for the variant it writes');
  // What the flags (or a variant file) say is taken as given; learn infers the rest.
  const given = settingsFromFlags(f, protocol.name);
  const { target } = await buildTarget(f, protocol, profile, given);
  await target.start();
  let learned;
  try {
    const ctx = sessionContext(target, profile, given, { stepMs: (f['step-timeout'] as number | undefined) ?? 2000, readCap: REPLY_CAP });
    learned = await protocol.learn(ctx);
  } finally {
    await target.stop();
  }
  for (const fact of learned.facts) out.write(`learned: ${fact}\n`);
  for (const u of learned.unknown) out.write(`could not infer ${u}\n`);
  for (const x of learned.failed ?? []) out.write(`could not ${x}\n`);
  if (learned.unknown.length || learned.failed?.length) return 1;
  writeFileSync(f.out as string, `${JSON.stringify(variantOf(protocol.name, learned.settings), null, 2)}\n`);
  out.write(`wrote ${f.out as string}: check it, then run sockspec fuzz --protocol ${protocol.name} --variant ${f.out as string} ...\n`);
  return 0;
}

/** Merges the JSON results of many runs (students, or shards) into one matrix report. */
function reportCommand(args: string[], out: NodeJS.WriteStream): number {
  const files: string[] = [];
  let i = 0;
  for (; i < args.length && !args[i].startsWith('--'); i++) files.push(args[i]);
  const f = parseFlags(args.slice(i), { out: 'string', junit: 'string', grading: 'string', title: 'string', lang: 'string' });
  if (!files.length || !f.out) throw new UsageError('usage: sockspec report RESULTS.json... --out DIR [--junit FILE] [--grading FILE] [--lang zh|en]');
  const lang = langFromFlags(f);
  const runs = files.flatMap((file) => loadResults(file).map((r) => (files.length > 1 ? { ...r, target: `${path.basename(file, '.json')}: ${r.target}` } : r)));
  const merged = mergeShards(runs);
  const written = writeOutputs(merged, { report: f.out, junit: f.junit, grading: f.grading }, `sockspec report ${files.join(' ')} --out ${f.out}`, () => '', lang);
  for (const w of written) out.write(`wrote ${w}\n`);
  out.write(`${merged.length} run(s) from ${files.length} file(s); ${merged.filter(hasFindings).length} with MUST/ROBUST findings\n`);
  return 0;
}

/** What grade and autograder take from fuzz: its flags (passed through to each submission's run) and their checks. */
const GRADE_DEPS = {
  fuzzFlags: FUZZ_FLAGS,
  settingsFromFlags,
  checkFuzzArgs: async (args: string[]) => {
    await planFuzz(parseFlags(args, FUZZ_FLAGS));
  },
};

function list(out: NodeJS.WriteStream): number {
  for (const p of PROTOCOLS) {
    out.write(`${p.name}: ${p.title} (profiles: ${p.profiles.join(', ')})\n`);
    const row = (c: Protocol['clauses'][number]) => {
      const lv = PROFILES.filter((x) => c.profiles.includes(x)).map((x) => `${x} ${levelOf(c, x)}`).join(', ');
      const faults = c.faults?.length ? `  faults: ${c.faults.join(', ')}` : '';
      out.write(`  ${c.id.padEnd(34)} ${faults ? lv.padEnd(32) : lv}${faults}\n`);
    };
    p.clauses.forEach(row);
    if (p.clientClauses?.length) {
      out.write(`  client clauses (fuzz-client: sockspec plays the server):\n`);
      (p.clientClauses as unknown as Protocol['clauses']).forEach(row);
    }
  }
  out.write('\nfaults (how the clauses deliver bytes):\n');
  for (const f of FAULT_LIST) out.write(`  ${f.name.padEnd(14)} ${f.description}\n`);
  out.write('\nbuilt-in targets (--builtin NAME):\n');
  for (const b of allBuiltins()) out.write(`  ${b.name.padEnd(28)} ${b.protocol}/${b.profiles.join(',')}  ${b.faithful ? '(lesson-faithful) ' : ''}${b.description}\n`);
  return 0;
}

// The socket watcher (sockdiag's helper) outlives a command: it never keeps the process alive
// (unref'd) and ends with it (its stdin closes). Stopped after each command, as it was, a test
// process running commands in-process one after another started a new helper for each (a
// Python start, some 60 ms of CPU on a loaded machine; about 137 helpers a suite).
export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const paint = out.isTTY && !process.env.NO_COLOR ? ANSI : NO_COLOR;
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      out.write(`${help()}\n`);
      return cmd ? 0 : 2;
    }
    if (cmd === '--version' || cmd === '-v') {
      out.write(`${VERSION}\n`);
      return 0;
    }
    // The one table of commands: the dispatch and the unknown-command message both read it.
    const commands: Record<string, () => number | Promise<number>> = {
      fuzz: () => fuzz(rest, out, paint),
      'fuzz-client': () => fuzz(rest, out, paint, 'client'),
      learn: () => learnCommand(rest, out),
      list: () => list(out),
      replay: () => replayCommand(rest, out, paint),
      record: () => recordCommand(rest, out),
      'export-pcap': () => exportPcapCommand(rest, out),
      show: () => showCommand(rest, out),
      report: () => reportCommand(rest, out),
      start: async () => (await import('./start')).start(rest, out, paint, GRADE_DEPS),
      grade: async () => (await import('./grade')).gradeCommand(rest, out, paint, GRADE_DEPS),
      autograder: async () => (await import('./grade/autograder')).autograderCommand(rest, out, GRADE_DEPS),
    };
    const command = Object.hasOwn(commands, cmd) ? commands[cmd] : undefined;
    if (command) return await command();
    throw new UsageError(`unknown command "${cmd}" (${Object.keys(commands).join(', ')}; see sockspec --help)`);
  } catch (e) {
    if (isSockspecError(e)) {
      err.write(`sockspec: ${e.message}\n`);
      if (e instanceof TargetError && e.stderrTail) err.write(`the ${e.code === 'ERR_CLIENT_NOT_STARTED' ? 'client' : 'server'}'s stderr:\n${e.stderrTail.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
      return e.exitCode;
    }
    throw e;
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

