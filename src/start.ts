// `npm start`: the main job on the built-in examples. Fuzzes every built-in server (reference
// and lesson-faithful), every example Python server and every example client (fuzz-client),
// writes reports/index.html and results.json, and prints one line per target. Exit 0 when
// every target was classified as expected (references and corrected examples pass,
// lesson-faithful ones fail).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Runner } from './harness/runner';
import { isSockspecError } from './harness/errors';
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

interface Job {
  name: string;
  /** The command and flags that name this target, for the replay command of each finding. */
  command: 'fuzz' | 'fuzz-client';
  targetFlag: string;
  protocol: string;
  profile: Profile;
  expectFail: boolean;
  target: () => Target;
}

export async function start(_args: string[], out: NodeJS.WriteStream, paint: Paint): Promise<number> {
  const seed = 20261124;
  const jobs: Job[] = [];
  for (const b of allBuiltins()) {
    for (const profile of b.profiles) {
      const protocol = findProtocol(b.protocol)!;
      jobs.push({ name: `builtin ${b.name}`, command: 'fuzz', targetFlag: `--builtin ${b.name}`, protocol: b.protocol, profile, expectFail: b.faithful, target: () => new InProcessTarget(b, profile, protocol.defaults, prepareDirFor(protocol)) });
    }
  }
  for (const ex of loadExamples()) {
    const protocol = findProtocol(ex.protocol)!;
    jobs.push({
      name: `examples/${ex.file}`,
      command: 'fuzz',
      targetFlag: `--spawn "python3 examples/${ex.file} {port}"`,
      protocol: ex.protocol,
      profile: ex.profile,
      expectFail: ex.fragile,
      target: () => exampleTarget(ex.file, protocol),
    });
  }
  const servers = jobs.length;
  for (const ex of loadExampleClients()) {
    const command = `python3 examples/clients/${ex.file}${ex.port ? '' : ' {port}'}`;
    jobs.push({
      name: `examples/clients/${ex.file}`,
      command: 'fuzz-client',
      targetFlag: `--spawn "${command}"${ex.port ? ` --port ${ex.port}` : ''}`,
      protocol: ex.program,
      profile: ex.profile,
      expectFail: ex.kind === 'course',
      target: () => new ClientTarget({ command, port: ex.port, cwd: ROOT }),
    });
  }
  out.write(`sockspec: fuzzing ${servers} servers (built-in and examples/) and ${jobs.length - servers} clients (examples/clients/), seed ${seed}\n\n`);
  // Two servers at a time: one per core of this machine.
  const results: (RunResult | undefined)[] = new Array(jobs.length);
  let unexpected = 0;
  let next = 0;
  const flags = new Map<RunResult, string>();
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      const job = jobs[i];
      const protocol = findProtocol(job.protocol)!;
      const target = job.target();
      let r: RunResult;
      try {
        try {
          await target.start();
          const opts = { seed, runs: 10, stepMs: 1000, timeLimitMs: 60_000, shrinkRuns: 20, shrinkMs: 3000 };
          // A client session starts a program each time: its boundary cases make its verdict, a few random sessions follow.
          r = job.command === 'fuzz-client' ? await new ClientRunner(protocol, job.profile, protocol.defaults, target as ClientTarget, { ...opts, runs: 3, stepMs: 2000, shrinkRuns: 5 }).run() : await new Runner(protocol, job.profile, protocol.defaults, target, opts).run();
        } catch (e) {
          // A target that cannot start (its pinned port is taken) is that target's problem, not the whole run's.
          if (!isSockspecError(e)) throw e;
          unexpected++;
          out.write(`${paint.red('!')} ${job.name.padEnd(42)} ${`${job.protocol}/${job.profile}`.padEnd(14)} ${paint.red(`not run: ${e.message}`)}\n`);
          continue;
        }
      } finally {
        await target.stop();
      }
      r.target = job.name;
      results[i] = r;
      flags.set(r, `${job.command} ${job.targetFlag}`);
      const failed = r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY');
      const advisory = r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel === 'ADVISORY').length;
      // A corrected server must get a complete pass: an incomplete run is no verdict at all.
      const code = exitCodeOf([r]);
      const ok = code === (job.expectFail ? EXIT.findings : EXIT.passed);
      if (!ok) unexpected++;
      const verdict = failed.length
        ? paint.red(`${failed.length} failing: ${failed.map((c) => `${c.id} (${c.verdict})`).join(', ')}`)
        : code === EXIT.incomplete
          ? paint.yellow(`incomplete: ${unfinished(r).map((c) => c.id).join(', ')} did not run`)
          : paint.green('every MUST and ROBUST clause passed');
      out.write(`${ok ? ' ' : paint.red('!')} ${job.name.padEnd(42)} ${`${job.protocol}/${job.profile}`.padEnd(14)} ${verdict}${advisory ? paint.yellow(` · ${advisory} advisory`) : ''}\n`);
    }
  };
  await Promise.all([worker(), worker()]);
  const done = results.filter((r): r is RunResult => !!r);
  mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  const classViews = writeClassViews(done);
  writeFileSync(path.join(ROOT, 'reports', 'index.html'), renderHtml(done, {
      title: 'sockspec: built-in servers and examples',
      command: 'npm start',
      links: classViews,
      replayCommand: (r, c) => `npx sockspec ${flags.get(r)?.split(' ')[0]} --protocol ${r.protocol} --profile ${r.profile} ${flags.get(r)?.split(' ').slice(1).join(' ')} --seed ${c.seed} --clause ${c.id}${c.path ? ` --path ${c.path}` : ''}`,
    }));
  writeFileSync(path.join(ROOT, 'reports', 'results.json'), resultsToJson(done));
  out.write(`\nwrote reports/index.html, reports/results.json and ${classViews.length} class views (reports/class/)\n`);
  out.write(unexpected ? paint.red(`${unexpected} server(s) or client(s) were not classified as expected (marked !)\n`) : 'every server and client was classified as expected: references and corrected examples pass, lesson-faithful ones fail\n');
  return unexpected ? 1 : 0;
}

/**
 * The class view of each protocol and profile, as `sockspec grade` draws it: every target one
 * "submission" (scored, sortable, the clauses the examples fail most first), servers and
 * clients apart. Returns the links for the main report.
 */
function writeClassViews(runs: readonly RunResult[]): { href: string; text: string }[] {
  const dir = path.join(ROOT, 'reports', 'class');
  mkdirSync(dir, { recursive: true });
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) {
    const key = `${r.protocol}-${r.profile}${r.tested === 'client' ? '-clients' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const links: { href: string; text: string }[] = [];
  for (const [key, group] of groups) {
    const entries: ClassEntry[] = group.map((r) => ({ name: r.target, page: `../index.html`, run: r, grading: toGrading([r]) }));
    const words = `${group[0].protocol}/${group[0].profile}${group[0].tested === 'client' ? ' clients' : ''}`;
    const common = { group: words, msg: messages('en'), command: 'npm start', version: VERSION, seed: group[0].seed, title: `sockspec examples: ${words}` };
    writeFileSync(path.join(dir, `${key}.html`), renderClassHtml(entries, { ...common, sortedBy: 'score', otherPage: `${key}-by-name.html` }));
    writeFileSync(path.join(dir, `${key}-by-name.html`), renderClassHtml(entries, { ...common, sortedBy: 'name', otherPage: `${key}.html` }));
    links.push({ href: `class/${key}.html`, text: words });
  }
  return links;
}
