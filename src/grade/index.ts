// `sockspec grade DIR`: every submission of a class folder fuzzed in a child process of its own
// (`sockspec fuzz` in a fresh copy of the submission, N at a time), then the class report, the
// gradebook CSV and each submission's results, JUnit, autograder JSON and report page.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../harness/errors';
import { levelOf } from '../harness/clause';
import { exitCodeOf, EXIT, RESULTS_SCHEMA, type RunResult } from '../harness/runner/results';
import { onExit } from '../harness/targets/reaper';
import { onPath, pythonOf } from '../harness/python';
import { probeConfinement, shellQuote, shellWords } from '../harness/targets/spawn';
import { clauseShares, failedCount, firstFinding, isIncomplete, renderClassHtml, type ClassEntry } from '../harness/report/class';
import { toScoresCsv } from '../harness/report/csv';
import { toGrading, WEIGHTS, type Grading } from '../harness/report/grading';
import { renderHtml } from '../harness/report/html';
import { messages, type Lang, type Messages } from '../harness/report/i18n';
import { toJUnit } from '../harness/report/junit';
import { resultsToJson } from '../harness/report/serialize';
import type { Paint } from '../harness/report/terminal';
import { VERSION } from '../harness/version';
import { findProtocol, PROTOCOLS } from '../protocols';
import { PROFILES, type Profile, type Protocol } from '../protocols/types';
import { langFromFlags, parseFlags, type FlagKind, type Parsed } from '../cli-args';
import { runPool } from './pool';
import { clock, Progress } from './progress';
import { buildId, flagsKey, readMeta, resultKey, META_SCHEMA, type Meta } from './store';
import { copySubmission, detectPort, findEntry, listSubmissions, pythonTexts, sourceFiles, sourceHash, type Submission } from './submissions';

const BIN = path.join(__dirname, '..', '..', 'bin', 'sockspec.js');

/** What grade needs of the fuzz command, handed over by the CLI (so that new fuzz flags pass through unchanged). */
export interface GradeDeps {
  fuzzFlags: Record<string, FlagKind>;
  settingsFromFlags(f: Parsed, protocol: string): unknown;
  /** Checks one submission's fuzz arguments as fuzz would (unknown flag, bad value), without starting anything. */
  checkFuzzArgs(args: string[]): Promise<void>;
}

/** fuzz flags grade sets itself for each submission, or that mean nothing for a class. */
const OWNED = new Set(['spawn', 'connect', 'builtin', 'port', 'report', 'json', 'junit', 'grading', 'record-dir', 'keep', 'quiet', 'path', 'shard']);
/** fuzz flags that name a file: resolved from where grade was typed (each fuzz runs in its submission's copy), and their contents are part of the result's key. */
const FILE_FLAGS = ['variant', 'users-file-from'];
const GRADE_FLAGS: Record<string, FlagKind> = {
  entry: 'string',
  jobs: 'number',
  out: 'string',
  force: 'boolean',
  lang: 'string',
  shard: 'string',
  'report-only': 'boolean',
  single: 'boolean',
  port: 'number',
  title: 'string',
  quiet: 'boolean',
  python: 'string',
};
/** The interpreter of the students' programs unless --python: what the course types. */
export const DEFAULT_PYTHON = 'python3';
/** grade's seed unless --seed: every student gets the same sessions, and a re-run can reuse results. */
export const GRADE_SEED = 1;

export interface GradePlan {
  dir: string;
  out: string;
  protocol: Protocol;
  profile: Profile;
  settings: unknown;
  lang: Lang;
  msg: Messages;
  jobs: number;
  seed: number;
  timeLimitSec: number;
  /** The fuzz flags every submission gets (variant, runs, time limit, confinement, ...), as parsed. */
  fuzz: Parsed;
  flagsKey: string;
  entry?: string;
  port?: number;
  force: boolean;
  reportOnly: boolean;
  quiet: boolean;
  title?: string;
  /** DIR is one submission (Gradescope's /autograder/submission), not a class. */
  single: boolean;
  /** i/n: every n-th submission by name, from the i-th. */
  shard?: string;
  command: string;
  /** How each submission's entry is started (--python): `python3`, a venv's interpreter, `python3.12 -X dev`. */
  python: string;
}

/** One submission, ready to grade: its entry, port, command and key, or why it cannot be graded. */
interface Planned {
  sub: Submission;
  files: string[];
  dir: string;
  meta: Omit<Meta, 'exitCode' | 'error' | 'gradedAt' | 'durationMs'>;
  error?: string;
  /** What an earlier grade stored for it (read once, when planning). */
  stored?: Meta;
}

/** One submission's grade: its run, or why it was not graded. */
export interface Outcome {
  name: string;
  run?: RunResult;
  grading: Grading & { output?: string };
  error?: string;
  /** sockspec's fault (exit 3, killed, too slow): never stored, the next run tries again. */
  internal?: boolean;
  /** --report-only found no stored result that matches. */
  missing?: boolean;
  notes: string[];
  stored: boolean;
  page?: string;
}

function passThroughSpec(fuzzFlags: Record<string, FlagKind>): Record<string, FlagKind> {
  return Object.fromEntries(Object.entries(fuzzFlags).filter(([k]) => !OWNED.has(k)));
}

/** Parsed flags back to arguments (`--name=value`, so that a value starting with -- stays a value). */
export function toArgs(f: Parsed, spec: Record<string, FlagKind>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || !spec[k]) continue;
    if (spec[k] === 'boolean') {
      if (v) out.push(`--${k}`);
    } else if (Array.isArray(v)) for (const x of v) out.push(`--${k}=${x}`);
    else out.push(`--${k}=${v}`);
  }
  return out;
}

export async function planGrade(args: string[], deps: GradeDeps): Promise<GradePlan> {
  const dirArg = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  if (!dirArg) throw new UsageError('usage: sockspec grade DIR --protocol P [--profile X] [variant flags] [--entry FILE] [--jobs N] [--out DIR] [--force] [--lang zh|en]');
  const passSpec = passThroughSpec(deps.fuzzFlags);
  const spec = { ...passSpec, ...GRADE_FLAGS };
  const f = parseFlags(args.slice(1), spec);
  const dir = path.resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dirArg} is not a folder of submissions`);
  const name = f.protocol as string | undefined;
  const protocol = name ? findProtocol(name) : undefined;
  if (!protocol) throw new UsageError(`grade needs --protocol (one of ${PROTOCOLS.map((p) => p.name).join(', ')})`);
  const profile = ((f.profile as string | undefined) ?? 'lesson') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`unknown profile "${profile}" (lesson or framed)`);
  const lang = langFromFlags(f);
  const jobs = (f.jobs as number | undefined) ?? os.availableParallelism();
  if (jobs < 1) throw new UsageError('--jobs must be at least 1');
  if (f.shard !== undefined && !/^(\d+)\/(\d+)$/.test(f.shard as string)) throw new UsageError(`--shard takes i/n with 1 <= i <= n, not "${f.shard}"`);
  if (f.shard !== undefined) {
    const [i, n] = (f.shard as string).split('/').map(Number);
    if (n < 1 || i < 1 || i > n) throw new UsageError(`--shard takes i/n with 1 <= i <= n, not "${f.shard}"`);
  }
  if (f.port !== undefined && ((f.port as number) < 1 || (f.port as number) > 65535)) throw new UsageError('--port must be between 1 and 65535');
  const python = pythonCommand(f.python as string | undefined);
  const fuzz: Parsed = Object.fromEntries(Object.entries(f).filter(([k]) => passSpec[k] && !(k in GRADE_FLAGS)));
  fuzz.profile = profile;
  fuzz.seed = (f.seed as number | undefined) ?? GRADE_SEED;
  for (const k of FILE_FLAGS) if (typeof fuzz[k] === 'string') fuzz[k] = path.resolve(fuzz[k] as string);
  const settings = deps.settingsFromFlags(fuzz, protocol.name);
  // Every submission gets these flags: a mistake in them is one sentence now, not one per student.
  await deps.checkFuzzArgs(['--spawn', `${python} server.py {port}`, ...toArgs(fuzz, passSpec)]);
  const out = path.resolve((f.out as string | undefined) ?? 'reports');
  if (out === dir) throw new UsageError('--out must not be the folder of submissions (its students/ would be taken for a student)');
  return {
    dir,
    out,
    protocol,
    profile,
    settings,
    lang,
    msg: messages(lang),
    jobs,
    seed: fuzz.seed as number,
    timeLimitSec: (fuzz['time-limit'] as number | undefined) ?? 60,
    fuzz,
    // Another interpreter is another grade; the default leaves the key as it was before --python.
    flagsKey: flagsKey({ ...fuzz, ...(python !== DEFAULT_PYTHON && { python }) }, FILE_FLAGS),
    entry: f.entry as string | undefined,
    port: f.port as number | undefined,
    force: !!f.force,
    reportOnly: !!f['report-only'],
    quiet: !!f.quiet,
    title: f.title as string | undefined,
    single: !!f.single,
    shard: f.shard as string | undefined,
    command: ['sockspec', 'grade', ...args].map(shellQuote).join(' '),
    python,
  };
}

/**
 * --python's command, checked: its words as a shell splits them (a file's path, spaces and all,
 * is one word), the first a program on PATH or a file. A path is made absolute, since each
 * submission runs in a copy of its own elsewhere (a venv's link is kept, not followed).
 */
function pythonCommand(given: string | undefined): string {
  if (given === undefined) return DEFAULT_PYTHON;
  const words = given.includes('/') && isFile(path.resolve(given.trim())) ? [given.trim()] : shellWords(given);
  if (!words.length) throw new UsageError('--python takes the command that runs a Python program, such as python3 or venv/bin/python');
  const first = words[0];
  const program = first.includes('/') ? path.resolve(first) : onPath(first);
  if (!program || !isFile(program)) throw new UsageError(`--python ${given}: ${first} is not ${first.includes('/') ? 'a file' : 'on PATH'}`);
  return [first.includes('/') ? program : first, ...words.slice(1)].map(shellQuote).join(' ');
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** How a submission's entry is started: with {port} unless it has a fixed one. */
const serverCommand = (python: string, entry: string, port: number | undefined) => `${python} ${shellQuote(entry)}${port === undefined ? ' {port}' : ''}`;

/** The points an assignment's variant can give (what an ungraded submission is out of). */
export function maxScore(plan: Pick<GradePlan, 'protocol' | 'profile' | 'settings' | 'fuzz'>): number {
  const only = (plan.fuzz.clause as string[] | undefined) ?? [];
  return plan.protocol.clauses
    .filter((c) => c.profiles.includes(plan.profile) && (!c.appliesTo || c.appliesTo(plan.settings, plan.profile)) && (!only.length || only.includes(c.id)))
    .reduce((s, c) => s + WEIGHTS[levelOf(c, plan.profile)], 0);
}

function submissionsOf(plan: GradePlan): Submission[] {
  const shard = plan.shard;
  let subs = plan.single ? [{ name: path.basename(plan.dir), source: plan.dir, single: false }] : listSubmissions(plan.dir, [plan.out]);
  if (shard) {
    const [i, n] = shard.split('/').map(Number);
    subs = subs.filter((_, k) => k % n === i - 1);
  }
  return subs;
}

function planSubmission(plan: GradePlan, sub: Submission): Planned {
  const files = sourceFiles(sub);
  const texts = pythonTexts(sub, files);
  const notes: string[] = [];
  const dir = path.join(plan.out, 'students', sub.name);
  const base = { schema: META_SCHEMA, name: sub.name, key: '', sourceHash: sourceHash(sub, files), flagsKey: plan.flagsKey, version: VERSION, build: buildId(), notes } as Planned['meta'];
  const choice = findEntry(texts, plan.msg, plan.entry);
  if (choice.note) notes.push(choice.note);
  if (!choice.entry) return { sub, files, dir, meta: { ...base, key: resultKey(base) }, error: choice.error };
  const how = detectPort(texts.get(choice.entry)!);
  const port = how.argv ? undefined : (how.port ?? plan.port);
  if (!how.argv && port === undefined) return { sub, files, dir, meta: { ...base, entry: choice.entry, key: resultKey({ ...base, entry: choice.entry }) }, error: plan.msg.why.noPort(choice.entry) };
  if (port !== undefined) notes.push(plan.msg.why.fixedPort(port));
  const meta = { ...base, entry: choice.entry, port, command: serverCommand(plan.python, choice.entry, port) };
  return { sub, files, dir, meta: { ...meta, key: resultKey(meta) } };
}

/** The children running now, stopped with the grade run (each fuzz then stops its own servers). */
const children = new Set<import('node:child_process').ChildProcess>();
const temps = new Set<string>();
let cleanupInstalled = false;
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  onExit(() => {
    for (const c of children) c.kill('SIGTERM');
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });
}

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

function runFuzz(args: string[], cwd: string, timeoutMs: number): Promise<ChildExit> {
  installCleanup();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fuzz', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', NO_COLOR: '1' } });
    children.add(child);
    let stderr = '';
    let timedOut = false;
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stderr, timedOut });
    });
  });
}

/** fuzz's one-sentence error, and the last line the server printed (a missing module, say). */
function setupError(stderr: string): string {
  const lines = stderr.split('\n');
  const first = (lines.find((l) => l.startsWith('sockspec: ')) ?? lines.find((l) => l.trim()) ?? '').replace(/^sockspec: /, '').trim();
  const at = lines.findIndex((l) => l.startsWith("the server's stderr:"));
  const last = at >= 0 ? lines.slice(at + 1).map((l) => l.trim()).filter(Boolean).pop() : undefined;
  return last && !first.includes(last) ? `${first} (${last})` : first;
}

/** A path as the user types it: relative to here when below here, else absolute. */
const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return !r ? '.' : r.startsWith('..') ? path.resolve(p) : r;
};

/** A submission's page, JUnit and autograder JSON from its results (run again when only the report is rebuilt). */
function writeSubmissionFiles(plan: GradePlan, p: Planned, run: RunResult): string {
  const page = path.join(p.dir, 'index.html');
  const entryPath = rel(path.join(p.sub.single ? path.dirname(p.sub.source) : p.sub.source, p.meta.entry!));
  const target = `--spawn ${shellQuote(serverCommand(plan.python, entryPath, p.meta.port))}${p.meta.port !== undefined ? ` --port ${p.meta.port}` : ''}`;
  writeFileSync(path.join(p.dir, 'junit.xml'), toJUnit([run]));
  writeFileSync(path.join(p.dir, 'grading.json'), `${JSON.stringify(toGrading([run]), null, 2)}\n`);
  writeFileSync(page, renderHtml([run], {
    title: `${p.sub.name}: ${plan.protocol.name}/${plan.profile}`,
    command: `${plan.command}`,
    lang: plan.lang,
    replayCommand: (_r, c) => (c.recording ? `npx sockspec replay ${shellQuote(rel(path.join(p.dir, c.recording)))} ${target} --judge` : ''),
  }));
  return page;
}

function errorGrading(plan: GradePlan, error: string): Grading & { output: string } {
  return { score: 0, max_score: maxScore(plan), tests: [], output: error };
}

/**
 * Whether a stored result stands for the submission: a verdict, not a server that could not
 * start (something else may have held it up) nor an incomplete run (a busy machine may finish it
 * next time). --report-only shows an incomplete one as it is.
 */
function reusable(m: Meta, plan: Pick<GradePlan, 'reportOnly'>): boolean {
  return m.exitCode !== undefined && m.exitCode !== EXIT.usage && (m.exitCode !== EXIT.incomplete || plan.reportOnly);
}

function loadRun(file: string): RunResult | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
    return r.schema === RESULTS_SCHEMA && Array.isArray(r.clauses) ? r : undefined;
  } catch {
    return undefined;
  }
}

async function gradeOne(plan: GradePlan, p: Planned, passSpec: Record<string, FlagKind>): Promise<Outcome> {
  const base = { name: p.sub.name, notes: p.meta.notes, stored: false };
  const fail = (error: string, internal = false): Outcome => ({ ...base, error, internal, grading: errorGrading(plan, error) });
  if (p.error) return fail(p.error);
  const stored = p.stored;
  const results = path.join(p.dir, 'results.json');
  if (stored && stored.key === p.meta.key && (!plan.force || plan.reportOnly)) {
    const run = reusable(stored, plan) ? loadRun(results) : undefined;
    if (run) {
      // Written again like the class report: this run's --lang reaches the submission's page too.
      const page = writeSubmissionFiles(plan, p, run);
      return { ...base, notes: stored.notes, stored: true, run, grading: toGrading([run]), page };
    }
    // A server that could not start may have been held up by something else: tried again unless only reporting.
    if (stored.error && plan.reportOnly) return { ...fail(stored.error), stored: true };
  }
  if (plan.reportOnly) return { ...fail(stored ? plan.msg.why.stale : plan.msg.why.notStored), missing: true };

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sockspec-grade-'));
  temps.add(tmp);
  const t0 = Date.now();
  try {
    const copy = path.join(tmp, 'submission');
    copySubmission(p.sub, copy, p.files);
    const work = path.join(tmp, 'out');
    mkdirSync(work);
    const args = [
      '--spawn', p.meta.command!,
      ...(p.meta.port !== undefined ? ['--port', String(p.meta.port)] : []),
      '--json', path.join(work, 'results.json'),
      '--record-dir', path.join(work, 'recordings'),
      '--quiet',
      ...toArgs(plan.fuzz, passSpec),
    ];
    const exit = await runFuzz(args, copy, (plan.timeLimitSec * 2 + 60) * 1000);
    mkdirSync(p.dir, { recursive: true });
    writeFileSync(path.join(p.dir, 'fuzz.log'), exit.stderr);
    if (exit.timedOut) return fail(plan.msg.why.timedOut(plan.timeLimitSec * 2 + 60), true);
    const run = exit.code === 0 || exit.code === 1 || exit.code === 4 ? loadRun(path.join(work, 'results.json')) : undefined;
    const meta = { ...p.meta, gradedAt: new Date().toISOString(), durationMs: Date.now() - t0 };
    if (!run) {
      if (exit.code === EXIT.usage) {
        const error = plan.msg.why.notListening(setupError(exit.stderr));
        writeFileSync(path.join(p.dir, 'meta.json'), `${JSON.stringify({ ...meta, exitCode: exit.code, error }, null, 2)}\n`);
        rmSync(results, { force: true });
        return fail(error);
      }
      return fail(plan.msg.why.internal(setupError(exit.stderr) || `exit ${exit.code ?? exit.signal}`), true);
    }
    // The recordings move next to the results; the run is named after the student, not the temporary copy.
    rmSync(path.join(p.dir, 'recordings'), { recursive: true, force: true });
    if (existsSync(path.join(work, 'recordings'))) cpSync(path.join(work, 'recordings'), path.join(p.dir, 'recordings'), { recursive: true });
    run.target = `${p.sub.name}: ${p.meta.entry}`;
    for (const c of run.clauses) if (c.recording) c.recording = path.join('recordings', path.basename(c.recording));
    writeFileSync(results, resultsToJson(run));
    const page = writeSubmissionFiles(plan, p, run);
    writeFileSync(path.join(p.dir, 'meta.json'), `${JSON.stringify({ ...meta, exitCode: exitCodeOf([run]) }, null, 2)}\n`);
    return { ...base, run, grading: toGrading([run]), page };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    temps.delete(tmp);
  }
}

/** One line per submission: name, score, and the first finding (or why it was not graded). */
function outcomeLine(o: Outcome, width: number, msg: Messages, paint: Paint): string {
  const name = o.name.length > width ? `${o.name.slice(0, width - 1)}…` : o.name.padEnd(width);
  const score = `${o.grading.score}/${o.grading.max_score}`.padStart(7);
  const entry: ClassEntry = { name: o.name, run: o.run, grading: o.grading, error: o.error };
  let what: string;
  if (o.error) what = paint.yellow(`${msg.term.notGraded}: ${o.error}`);
  else if (failedCount(entry)) what = paint.red(firstFinding(entry, msg, 110));
  else if (isIncomplete(o.run!)) what = paint.yellow(firstFinding(entry, msg, 110));
  else what = paint.green(msg.term.allPassed);
  return `${name} ${score}  ${what}${o.stored ? paint.dim(` (${msg.term.stored})`) : ''}`;
}

function writeClassFiles(plan: GradePlan, outcomes: Outcome[]): string[] {
  const entries: ClassEntry[] = outcomes.map((o) => ({
    name: o.name,
    page: o.page ? path.relative(plan.out, o.page) : undefined,
    run: o.run,
    grading: o.grading,
    error: o.error,
    notes: o.notes,
  }));
  const group = `${plan.protocol.name}/${plan.profile}`;
  const common = { group, msg: plan.msg, command: plan.command, version: VERSION, seed: plan.seed, title: plan.title };
  mkdirSync(plan.out, { recursive: true });
  const files: [string, string][] = [
    ['index.html', renderClassHtml(entries, { ...common, sortedBy: 'score', otherPage: 'by-name.html' })],
    ['by-name.html', renderClassHtml(entries, { ...common, sortedBy: 'name', otherPage: 'index.html' })],
    ['scores.csv', toScoresCsv(entries, plan.msg)],
    ['class.json', `${JSON.stringify({
      schema: 'sockspec.class/1',
      sockspecVersion: VERSION,
      protocol: plan.protocol.name,
      profile: plan.profile,
      seed: plan.seed,
      command: plan.command,
      submissions: entries.map((e) => ({ name: e.name, score: e.grading.score, max_score: e.grading.max_score, failed: e.error ? null : failedCount(e), first_finding: firstFinding(e, plan.msg, 300), error: e.error ?? null, verdict: !e.run ? 'not-graded' : failedCount(e) ? 'findings' : isIncomplete(e.run) ? 'incomplete' : 'pass', page: e.page ?? null })),
    }, null, 2)}\n`],
  ];
  for (const [name, text] of files) writeFileSync(path.join(plan.out, name), text);
  return files.map(([name]) => path.join(plan.out, name));
}

export async function gradeCommand(args: string[], out: NodeJS.WriteStream, paint: Paint, deps: GradeDeps): Promise<number> {
  return (await grade(args, out, paint, deps)).code;
}

/** `sockspec grade`, with each submission's outcome for a caller that reports them its own way (npm start). */
export async function grade(args: string[], out: NodeJS.WriteStream, paint: Paint, deps: GradeDeps): Promise<{ code: number; outcomes: Outcome[] }> {
  const plan = await planGrade(args, deps);
  const subs = submissionsOf(plan);
  if (!subs.length) throw new UsageError(`no submissions in ${rel(plan.dir)}: it needs one folder (or one .py file) per student`);
  const msg = plan.msg;
  // Each stored result read once: for the count on the first line, what must run, and gradeOne.
  const planned = subs.map((s): Planned => {
    const p = planSubmission(plan, s);
    return p.error ? p : { ...p, stored: readMeta(p.dir) };
  });
  const reused = new Set(planned.filter((p) => !!p.stored && p.stored.key === p.meta.key && reusable(p.stored, plan)));
  const reusableCount = plan.force ? 0 : reused.size;
  const say = (s: string) => {
    if (!plan.quiet) out.write(`${s}\n`);
  };
  say(plan.reportOnly ? msg.term.startReport(subs.length, `${plan.protocol.name}/${plan.profile}`, reusableCount) : msg.term.start(subs.length, `${plan.protocol.name}/${plan.profile}`, plan.jobs, reusableCount));
  const width = Math.min(24, Math.max(8, ...subs.map((s) => s.name.length)));
  const progress = new Progress(out, subs.length, msg, plan.quiet);
  const passSpec = passThroughSpec(deps.fuzzFlags);
  // Each fuzz child would ask python3 for its installation again (through a pyenv shim, half a
  // second of CPU), and make a namespace and walk /etc to learn what confining its server needs
  // (0.15 s): asked once here and handed down.
  const toRun = planned.filter((p) => !p.error && (plan.force || !reused.has(p)));
  if (!plan.reportOnly && toRun.length) {
    pythonOf(onPath(shellWords(plan.python)[0]));
    probeConfinement(plan.fuzz['no-isolation'] ? 'none' : 'auto');
  }
  let outcomes: Outcome[];
  try {
    outcomes = await runPool(
      planned.map((p) => ({ lock: p.meta.port !== undefined && !p.error ? `port ${p.meta.port}` : undefined, run: () => gradeOne(plan, p, passSpec) })),
      plan.reportOnly ? 8 : plan.jobs,
      (o) => progress.finished(outcomeLine(o, width, msg, paint), o.stored),
    );
  } finally {
    progress.stop();
  }
  // Every submission gets its autograder JSON, a zero with the reason when it could not be graded (Gradescope shows it).
  if (!plan.reportOnly) {
    for (const o of outcomes.filter((x) => x.error)) {
      const dir = path.join(plan.out, 'students', o.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'grading.json'), `${JSON.stringify(o.grading, null, 2)}\n`);
    }
  }
  const written = writeClassFiles(plan, outcomes);
  const graded = outcomes.filter((o) => o.run);
  say('');
  say(msg.term.done(graded.length, clock(progress.elapsedMs), outcomes.filter((o) => o.stored).length));
  const top = clauseShares(outcomes.map((o) => ({ name: o.name, run: o.run, grading: o.grading }))).find((s) => s.failed && s.level !== 'ADVISORY');
  if (top) say(msg.term.mostFailed(top.id, `${Math.round(top.share * 100)}%`));
  for (const w of written.filter((x) => /index\.html$|scores\.csv$/.test(x))) say(msg.term.wrote(rel(w)));
  if (outcomes.some((o) => o.internal)) return { code: EXIT.internal, outcomes };
  const incomplete = outcomes.some((o) => (o.run ? isIncomplete(o.run) : o.missing));
  return { code: incomplete ? EXIT.incomplete : EXIT.passed, outcomes };
}
