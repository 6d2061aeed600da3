// Test helpers: run a built-in server through the runner with a fixed seed; the command line in
// this process.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli';
import { Runner, type RunOptions } from '../src/harness/runner';
import type { RunResult } from '../src/harness/runner/results';
import { InProcessTarget } from '../src/harness/targets/in-process';
import { sockInfo, TCP_LISTEN } from '../src/harness/sockdiag';
import { onPath, pythonInstall } from '../src/harness/python';
import { findBuiltin, findProtocol, prepareDirFor } from '../src/protocols';
import type { Profile } from '../src/protocols/types';

export { testTmp } from './tmp';

/**
 * The step timeout of a test's fuzz run on an example server. A corrected server must pass
 * whatever the machine does meanwhile: this machine's disk has held every process in iowait for
 * 2 to 5 s mid-suite, and a corrected upload server then "did not close the connection after a
 * polite upload" within 1 s. Its passing sessions wait a step out only where a clause waits
 * for silence (a bot's idle client: 2 s more a run at 3 s). A course-style server's hangs and
 * spins wait out each step: 1 s keeps them short.
 */
export const stepFor = (fragile: boolean): number => (fragile ? 1000 : 3000);

/** CI fixes the seed; a local run may set SOCKSPEC_SEED to explore. */
export const SEED = Number(process.env.SOCKSPEC_SEED ?? 20261124);

/** Runs the built-in `name` under `settings` (its protocol's defaults when none are given). */
export async function runBuiltin(name: string, profile: Profile, opts: Partial<RunOptions> = {}, given?: unknown): Promise<RunResult> {
  const builtin = findBuiltin(name);
  if (!builtin) throw new Error(`no built-in ${name}`);
  const protocol = findProtocol(builtin.protocol)!;
  const settings = given ?? protocol.defaults;
  const target = new InProcessTarget(builtin, profile, settings, prepareDirFor(protocol, settings));
  try {
    return await new Runner(protocol, profile, settings, target, { seed: SEED, runs: 8, stepMs: 1000, timeLimitMs: 120_000, shrinkRuns: 30, ...opts }).run();
  } finally {
    await target.stop();
  }
}

export function verdicts(r: RunResult): Record<string, string> {
  return Object.fromEntries(r.clauses.map((c) => [c.id, c.verdict]));
}

/**
 * The command line's entry point in this process: exit code, stdout and stderr. For what a test
 * asks of the command's answer (exit 2 and one sentence, a replay's verdict), not of a process
 * start, which costs seconds of a loaded machine. A stack trace would be an exception here, and
 * fail the test; tests of the process itself (signals, exit 3, EPIPE) start one.
 */
export async function cliHere(args: string[], timeoutMs = 200_000): Promise<{ code: number; out: string; err: string }> {
  const sink = () => {
    const text: string[] = [];
    const w = new Writable({
      write(chunk, _enc, done) {
        text.push(String(chunk));
        done();
      },
    });
    return { w: w as unknown as typeof process.stdout & typeof process.stderr, text };
  };
  const [out, err] = [sink(), sink()];
  // A command that never ends fails its test here, as a child's timeout would, not at tap's file timeout.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sockspec ${args[0]} did not end within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const code = await Promise.race([main(args, out.w, err.w), late]);
    return { code, out: out.text.join(''), err: err.text.join('') };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * cliHere with a child's fields (spawnSync's), for tests that run the same command either way:
 * one at a time (side by side in one event loop, one run's synchronous work delays the other's
 * timers, and a verdict with them), setting nothing of their own process-wide (no working
 * directory: relative paths resolve from the project).
 */
export async function cliInProcess(args: string[], timeoutMs?: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await cliHere(args, timeoutMs);
  return { status: r.code, stdout: r.out, stderr: r.err };
}

const BIN = path.join(__dirname, '..', 'bin', 'sockspec.js');

/** `sockspec` in a process of its own, waited for: what a shell sees of it (its exit status). */
export function cliProcess(args: string[], timeoutMs: number): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * `sockspec` in a process of its own, without blocking the test's (runs that mostly wait on their
 * servers, side by side in subtests with `jobs`): spawnSync's fields.
 */
export function cliChild(args: string[], cwd = path.join(__dirname, '..')): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 200_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve({ status: err ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
    });
  });
}

/** Processes anywhere on the machine whose command line (words joined by NUL) contains `text`. */
export function survivors(text: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/cmdline`, 'latin1').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Resolves once something listens on `port` at 127.0.0.1 (the kernel's exact lookup), or after 5 s. */
export async function untilListening(port: number): Promise<void> {
  for (let i = 0; i < 500 && (await sockInfo(port, 1))?.state !== TCP_LISTEN; i++) await new Promise((r) => setTimeout(r, 10));
}

/**
 * How the tests start their own Python programs (example servers and clients, fixtures): without
 * the site module (`-S`). They use the standard library only, and what site does is the
 * machine's: here its site-packages hold a .pth that imports certifi, 40 of the 60 ms of every
 * start, and the bigger heap it leaves makes every fork after three times dearer (a forking
 * server's children). The suite starts some 1500 of them. What a user types stays covered: the
 * first example of each profile, grade's own `python3 server.py` and `npm start` run plain python3.
 */
export const PY = 'python3 -S';

/**
 * The interpreter itself behind python3 (bin/suite.js asks once and hands the answer down): a
 * pyenv shim is a shell script, not the process a test measures or matches, and costs a third
 * of a second of CPU a start.
 */
export const PYTHON = (() => {
  const program = onPath('python3');
  return (program && pythonInstall(program)?.executable) || 'python3';
})();

/** Python running `code` on CPU 0 only (taskset), to share one core among several. */
export const onCore0 = (code: string): ChildProcess => spawn('taskset', ['-c', '0', PYTHON, '-c', code], { stdio: ['ignore', 'pipe', 'ignore'] });

/** Resolves when the process has printed its first output (its start is behind it). */
export const started = (p: ChildProcess) => new Promise<void>((r) => p.stdout!.once('data', () => r()));
