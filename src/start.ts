// `npm start`: the main job on the built-in examples. Grades the example Python servers as a
// teacher grades a class (`sockspec grade`, one class per protocol and profile, each example a
// submission), fuzzes every built-in server (reference and lesson-faithful) and every example
// client (fuzz-client), writes reports/index.html and results.json beside each class's report,
// and prints one line per target. Exit 0 when every target was classified as expected
// (references and corrected examples pass, lesson-faithful ones fail).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Runner } from './harness/runner';
import { ClientRunner } from './harness/runner/client';
import { ClientTarget } from './harness/targets/client';
import { EXIT, exitCodeOf, unfinished, type RunResult } from './harness/runner/results';
import { InProcessTarget } from './harness/targets/in-process';
import { SpawnTarget } from './harness/targets/spawn';
import type { Target } from './harness/targets/types';
import { renderHtml } from './harness/report/html';
import { renderClassHtml, type ClassEntry } from './harness/report/class';
import { toGrading } from './harness/report/grading';
import { messages } from './harness/report/i18n';
import { VERSION } from './harness/version';
import { resultsToJson } from './harness/report/serialize';
import type { Paint } from './harness/report/terminal';
import { allBuiltins, findProtocol, prepareDirFor } from './protocols';
import { grade, type GradeDeps } from './grade';
import { runPool } from './grade/pool';
import { parseFlags } from './cli-args';
import { isSockspecError, UsageError } from './harness/errors';
import type { LessonProtocol, Profile } from './protocols/types';

const ROOT = path.join(__dirname, '..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');

export interface ExampleServer {
  file: string;
  protocol: string;
  profile: Profile;
  /** true for servers written like the course (they must fail), false for corrected ones. */
  fragile: boolean;
  /** Clause ids a fragile example must fail. */
  fails?: string[];
}

/** An example server (`file` relative to examples/), spawned with its folder prepared for `protocol`. */
export function exampleTarget<S>(file: string, protocol: LessonProtocol<S>, settings: S = protocol.defaults): SpawnTarget {
  return new SpawnTarget({ command: `python3 ${path.join(EXAMPLES_DIR, file)} {port}`, cwd: ROOT, prepareDir: prepareDirFor(protocol, settings), startTimeoutMs: 10_000, keep: false });
}

export function loadExamples(): ExampleServer[] {
  const manifest = path.join(EXAMPLES_DIR, 'manifest.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as ExampleServer[]) : [];
}

/** An example client (examples/clients/manifest.json): course-faithful ones must fail, corrected ones pass. */
interface ExampleClient {
  file: string;
  program: string;
  profile: Profile;
  kind: 'course' | 'fixed';
  /** The port it hard-codes (the course's 8001), when it takes none. */
  port?: number;
}

export function loadExampleClients(): ExampleClient[] {
  const manifest = path.join(EXAMPLES_DIR, 'clients', 'manifest.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as ExampleClient[]) : [];
}

/**
 * A class folder of example servers, as `sockspec grade` takes one: a folder per example (named
 * after its file, `-N` for the N-th of `copies`), holding it as server.py beside server_kit.py.
 * Written afresh each time; the same bytes keep the same source hash, so grade reuses its results.
 */
export function exampleClass(dir: string, examples: readonly ExampleServer[], copies = 1): string[] {
  rmSync(dir, { recursive: true, force: true });
  const names: string[] = [];
  for (const ex of examples) {
    for (let i = 1; i <= copies; i++) {
      const name = `${path.basename(ex.file, '.py')}${copies > 1 ? `-${i}` : ''}`;
      mkdirSync(path.join(dir, name), { recursive: true });
      copyFileSync(path.join(EXAMPLES_DIR, ex.file), path.join(dir, name, 'server.py'));
      copyFileSync(path.join(EXAMPLES_DIR, 'server_kit.py'), path.join(dir, name, 'server_kit.py'));
      names.push(name);
    }
  }
  return names;
}

interface Job {
  name: string;
  /** The command and flags that name this target, for the replay command of each finding. */
  command: 'fuzz' | 'fuzz-client';
  targetFlag: string;
  protocol: string;
  profile: Profile;
  expectFail: boolean;
  /** The port it must have (a client that hard-codes 8001): never two such at once. */
  port?: number;
  target: () => Target;
}

/** One class of example servers (a protocol and profile), graded by `sockspec grade`. */
interface ClassJob {
  key: string;
  protocol: string;
  profile: Profile;
  examples: ExampleServer[];
}

const REPORTS = path.join(ROOT, 'reports');
/** Every run's options: ten random sessions a clause, a minute at most. */
const RUN = { seed: 20261124, runs: 10, stepMs: 1000, timeLimitMs: 60_000, shrinkMs: 3000 };
/** The same, as the fuzz flags grade passes on. */
const RUN_FLAGS = ['--seed', String(RUN.seed), '--runs', String(RUN.runs), '--time-limit', String(RUN.timeLimitMs / 1000), '--step-timeout', String(RUN.stepMs), '--shrink-time', String(RUN.shrinkMs / 1000)];

export async function start(args: string[], out: NodeJS.WriteStream, paint: Paint, deps: GradeDeps): Promise<number> {
  const f = parseFlags(args, { jobs: 'number', force: 'boolean' });
  // Runs mostly wait on step deadlines (two at a time kept 2 cores a third busy): twice the cores.
  const slots = (f.jobs as number | undefined) ?? 2 * os.availableParallelism();
  if (!Number.isInteger(slots) || slots < 1) throw new UsageError('--jobs must be a whole number of at least 1');
  const jobs: Job[] = [];
  for (const b of allBuiltins()) {
    for (const profile of b.profiles) {
      const protocol = findProtocol(b.protocol)!;
      jobs.push({ name: `builtin ${b.name}`, command: 'fuzz', targetFlag: `--builtin ${b.name}`, protocol: b.protocol, profile, expectFail: b.faithful, target: () => new InProcessTarget(b, profile, protocol.defaults, prepareDirFor(protocol)) });
    }
  }
  const classes = new Map<string, ClassJob>();
  for (const ex of loadExamples()) {
    const key = `${ex.protocol}-${ex.profile}`;
    if (!classes.has(key)) classes.set(key, { key, protocol: ex.protocol, profile: ex.profile, examples: [] });
    classes.get(key)!.examples.push(ex);
  }
  const examples = [...classes.values()].reduce((n, c) => n + c.examples.length, 0);
  const builtins = jobs.length;
  for (const ex of loadExampleClients()) {
    const command = `python3 examples/clients/${ex.file}${ex.port ? '' : ' {port}'}`;
    jobs.push({
      name: `examples/clients/${ex.file}`,
      command: 'fuzz-client',
      targetFlag: `--spawn "${command}"${ex.port ? ` --port ${ex.port}` : ''}`,
      protocol: ex.program,
      profile: ex.profile,
      expectFail: ex.kind === 'course',
      port: ex.port,
      target: () => new ClientTarget({ command, port: ex.port, cwd: ROOT }),
    });
  }
  out.write(`sockspec: grading ${examples} example servers (examples/, as ${classes.size} classes), fuzzing ${builtins} built-in servers and ${jobs.length - builtins} clients (examples/clients/), seed ${RUN.seed}\n\n`);
  const results = new Map<string, RunResult>();
  let unexpected = 0;
  const flags = new Map<RunResult, string>();
  /** A target's name and protocol/profile, in the columns every line starts with. */
  const columns = (name: string, protocol: string, profile: string) => `${name.padEnd(42)} ${`${protocol}/${profile}`.padEnd(14)}`;
  const line = (name: string, protocol: string, profile: string, ok: boolean, r: RunResult, note = '') => {
    const failed = r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY');
    const advisory = r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel === 'ADVISORY').length;
    const verdict = failed.length
      ? paint.red(`${failed.length} failing: ${failed.map((c) => `${c.id} (${c.verdict})`).join(', ')}`)
      : exitCodeOf([r]) === EXIT.incomplete
        ? paint.yellow(`incomplete: ${unfinished(r).map((c) => c.id).join(', ')} did not run`)
        : paint.green('every MUST and ROBUST clause passed');
    out.write(`${ok ? ' ' : paint.red('!')} ${columns(name, protocol, profile)} ${verdict}${advisory ? paint.yellow(` · ${advisory} advisory`) : ''}${note ? paint.dim(` ${note}`) : ''}\n`);
  };
  /** A target's run, kept for the report and said in one line: a corrected server must get a complete pass (an incomplete run is no verdict at all). */
  const record = (name: string, protocol: string, profile: string, r: RunResult, flag: string, expectFail: boolean, note = '') => {
    r.target = name;
    results.set(name, r);
    flags.set(r, flag);
    const ok = exitCodeOf([r]) === (expectFail ? EXIT.findings : EXIT.passed);
    if (!ok) unexpected++;
    line(name, protocol, profile, ok, r, note);
  };
  const notRun = (name: string, protocol: string, profile: string, why: string) => {
    unexpected++;
    out.write(`${paint.red('!')} ${columns(name, protocol, profile)} ${paint.red(`not run: ${why}`)}\n`);
  };

  /** A class: `sockspec grade` over a folder of the examples, one submission at a time in its slot (the other slots run beside it). */
  const gradeClass = async (c: ClassJob) => {
    const dir = path.join(REPORTS, 'examples', c.key);
    const names = exampleClass(dir, c.examples);
    const args = [dir, '--protocol', c.protocol, '--profile', c.profile, '--entry', 'server.py', '--jobs', '1', '--out', path.join(REPORTS, 'class', c.key), '--title', `sockspec examples: ${c.protocol}/${c.profile}`, '--quiet', ...(f.force ? ['--force'] : []), ...RUN_FLAGS];
    const { outcomes } = await grade(args, out, paint, deps);
    for (const [i, ex] of c.examples.entries()) {
      const name = `examples/${ex.file}`;
      const o = outcomes.find((x) => x.name === names[i]);
      if (!o?.run) {
        notRun(name, c.protocol, c.profile, o?.error ?? 'grade did not grade it');
        continue;
      }
      for (const cl of o.run.clauses) if (cl.recording) cl.recording = path.join('class', c.key, 'students', names[i], cl.recording);
      record(name, c.protocol, c.profile, o.run, `fuzz --spawn "python3 ${name} {port}"`, ex.fragile, o.stored ? '(graded before: same source, flags and sockspec)' : '');
    }
  };

  const runJob = async (job: Job) => {
    const protocol = findProtocol(job.protocol)!;
    const target = job.target();
    let r: RunResult;
    try {
      try {
        await target.start();
        const opts = { ...RUN, shrinkRuns: 20 };
        // A client session starts a program each time: its boundary cases make its verdict, a few random sessions follow.
        r = job.command === 'fuzz-client' ? await new ClientRunner(protocol, job.profile, protocol.defaults, target as ClientTarget, { ...opts, runs: 3, stepMs: 2000, shrinkRuns: 5 }).run() : await new Runner(protocol, job.profile, protocol.defaults, target, opts).run();
      } catch (e) {
        // A target that cannot start (its pinned port is taken) is that target's problem, not the whole run's.
        if (!isSockspecError(e)) throw e;
        notRun(job.name, job.protocol, job.profile, e.message);
        return;
      }
    } finally {
      await target.stop();
    }
    record(job.name, job.protocol, job.profile, r, `${job.command} ${job.targetFlag}`, job.expectFail);
  };

  // N at a time: the classes first (they take longest).
  await runPool([...[...classes.values()].map((c) => ({ run: () => gradeClass(c) })), ...jobs.map((j) => ({ lock: j.port ? `port ${j.port}` : undefined, run: () => runJob(j) }))], slots);
  // The report lists targets in a fixed order: built-in servers, examples, clients.
  const order = [...jobs.filter((j) => j.command === 'fuzz').map((j) => j.name), ...[...classes.values()].flatMap((c) => c.examples.map((e) => `examples/${e.file}`)), ...jobs.filter((j) => j.command === 'fuzz-client').map((j) => j.name)];
  const done = order.map((n) => results.get(n)).filter((r): r is RunResult => !!r);
  mkdirSync(REPORTS, { recursive: true });
  const classViews = [...[...classes.values()].map((c) => ({ href: `class/${c.key}/index.html`, text: `${c.protocol}/${c.profile}` })), ...writeClassViews(done.filter((r) => r.tested === 'client'))];
  writeFileSync(path.join(REPORTS, 'index.html'), renderHtml(done, {
      title: 'sockspec: built-in servers and examples',
      command: 'npm start',
      links: classViews,
      replayCommand: (r, c) => `npx sockspec ${flags.get(r)?.split(' ')[0]} --protocol ${r.protocol} --profile ${r.profile} ${flags.get(r)?.split(' ').slice(1).join(' ')} --seed ${c.seed} --clause ${c.id}${c.path ? ` --path ${c.path}` : ''}`,
    }));
  writeFileSync(path.join(REPORTS, 'results.json'), resultsToJson(done));
  out.write(`\nwrote reports/index.html, reports/results.json, the class report of each protocol and profile (reports/class/KEY/index.html, scores.csv, students/) and ${classViews.length - classes.size} class views of the clients\n`);
  out.write(unexpected ? paint.red(`${unexpected} server(s) or client(s) were not classified as expected (marked !)\n`) : 'every server and client was classified as expected: references and corrected examples pass, lesson-faithful ones fail\n');
  return unexpected ? 1 : 0;
}

/**
 * The class view of the example clients of each protocol and profile, as `sockspec grade` draws
 * a class of servers: every client one "submission" (scored, sortable, the clauses the examples
 * fail most first). Returns the links for the main report.
 */
function writeClassViews(runs: readonly RunResult[]): { href: string; text: string }[] {
  const dir = path.join(REPORTS, 'class');
  mkdirSync(dir, { recursive: true });
  // Class views of an older layout (class/KEY.html), which nothing links any more.
  for (const n of readdirSync(dir)) if (n.endsWith('.html')) rmSync(path.join(dir, n), { force: true });
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) {
    const key = `${r.protocol}-${r.profile}-clients`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const links: { href: string; text: string }[] = [];
  for (const [key, group] of groups) {
    const entries: ClassEntry[] = group.map((r) => ({ name: r.target, page: `../../index.html`, run: r, grading: toGrading([r]) }));
    const words = `${group[0].protocol}/${group[0].profile} clients`;
    const common = { group: words, msg: messages('en'), command: 'npm start', version: VERSION, seed: group[0].seed, title: `sockspec examples: ${words}` };
    mkdirSync(path.join(dir, key), { recursive: true });
    writeFileSync(path.join(dir, key, 'index.html'), renderClassHtml(entries, { ...common, sortedBy: 'score', otherPage: 'by-name.html' }));
    writeFileSync(path.join(dir, key, 'by-name.html'), renderClassHtml(entries, { ...common, sortedBy: 'name', otherPage: 'index.html' }));
    links.push({ href: `class/${key}/index.html`, text: words });
  }
  return links;
}
