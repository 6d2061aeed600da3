// Command-line arguments: flag parsing and the target flags shared by fuzz and replay.
import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { TargetError, UsageError } from './harness/errors';
import { ClientTarget } from './harness/targets/client';
import { InProcessTarget } from './harness/targets/in-process';
import { RemoteTarget } from './harness/targets/remote';
import { shellQuote, SpawnTarget } from './harness/targets/spawn';
import { parseSize, type Limits } from './harness/targets/limits';
import { langFromEnv, LANGS, type Lang } from './harness/report/i18n';
import type { Target } from './harness/targets/types';
import { findBuiltin, prepareDirFor } from './protocols';
import type { LessonProtocol, Profile } from './protocols/types';

export type FlagKind = 'string' | 'number' | 'boolean' | 'list';
export type Parsed = Record<string, string | number | boolean | string[] | undefined>;

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

/** --lang zh|en (fuzz, report, grade), else the locale's language (LC_ALL, LC_MESSAGES, LANG). */
export function langFromFlags(f: Parsed): Lang {
  const lang = (f.lang as string | undefined) ?? langFromEnv();
  if (!LANGS.includes(lang as Lang)) throw new UsageError(`--lang takes zh or en, not "${f.lang}"`);
  return lang as Lang;
}

/** Flags of every command that spawns a program: its confinement and its limits. */
export const CONFINEMENT_FLAGS: Record<string, FlagKind> = { 'no-isolation': 'boolean', 'limit-mem': 'string', 'limit-procs': 'number', 'limit-file': 'string' };

/** --limit-mem, --limit-procs and --limit-file, where given. */
export function limitsFromFlags(f: Parsed): Partial<Limits> {
  const limits: Partial<Limits> = {};
  if (f['limit-mem'] !== undefined) limits.memBytes = parseSize(f['limit-mem'] as string, '--limit-mem');
  if (f['limit-file'] !== undefined) limits.fileBytes = parseSize(f['limit-file'] as string, '--limit-file');
  if (f['limit-procs'] !== undefined) {
    if ((f['limit-procs'] as number) < 1) throw new UsageError('--limit-procs must be at least 1');
    limits.procs = f['limit-procs'] as number;
  }
  return limits;
}

/** What does not hold for spawned programs (no bubblewrap, no limits) is said once per run, on stderr. */
let noted = false;
function noteConfinement(target: SpawnTarget): void {
  if (noted) return;
  noted = true;
  for (const n of target.notes) process.stderr.write(`sockspec: ${n}\n`);
}

/** The target named by --builtin, --spawn or --connect (exactly one). */
export async function buildTarget<S>(f: Parsed, protocol: LessonProtocol<S>, profile: Profile, settings: S): Promise<{ target: Target; targetFlag: string }> {
  const chosen = (['spawn', 'connect', 'builtin'] as const).filter((k) => f[k] !== undefined);
  if (chosen.length !== 1) throw new UsageError('give exactly one target: --spawn "CMD {port}", --connect HOST:PORT or --builtin NAME');
  const keep = !!f.keep;
  const prepareDir = prepareDirFor(protocol, settings);
  let target: Target;
  let targetFlag: string;
  if (f.builtin !== undefined) {
    const b = findBuiltin(f.builtin as string);
    if (!b) throw new UsageError(`unknown built-in "${f.builtin}" (sockspec list shows them)`);
    if (b.protocol !== protocol.name || !b.profiles.includes(profile)) throw new UsageError(`the built-in ${b.name} speaks ${b.protocol} (${b.profiles.join(', ')}), not ${protocol.name} (${profile})`);
    target = new InProcessTarget(b, profile, settings, prepareDir, keep);
    targetFlag = `--builtin ${b.name}`;
  } else if (f.spawn !== undefined) {
    const command = f.spawn as string;
    if (!command.trim()) throw new UsageError('--spawn needs a command');
    if (f.port !== undefined && ((f.port as number) < 1 || (f.port as number) > 65535)) throw new UsageError('--port must be between 1 and 65535');
    const spawned = new SpawnTarget({ command, port: f.port as number | undefined, cwd: process.cwd(), prepareDir, startTimeoutMs: 10_000, keep, isolation: f['no-isolation'] ? 'none' : 'auto', limits: limitsFromFlags(f) });
    noteConfinement(spawned);
    target = spawned;
    const limitFlags = Object.keys(CONFINEMENT_FLAGS).filter((k) => f[k] !== undefined).map((k) => ` --${k}${f[k] === true ? '' : ` ${shellQuote(String(f[k]))}`}`).join('');
    targetFlag = `--spawn ${shellQuote(command)}${f.port !== undefined ? ` --port ${f.port}` : ''}${limitFlags}`;
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
  return { target, targetFlag };
}

/**
 * A client under test, started by sockspec for every session: `command` (fuzz-client's --spawn,
 * replay's --spawn-client) with --port, --stdin (else `stdin`, else each session's script) and
 * the confinement flags; `flags` repeats them.
 */
export function clientTargetOf(f: Parsed, command: string, stdin?: string): { target: ClientTarget; flags: string } {
  if (f.port !== undefined && ((f.port as number) < 1 || (f.port as number) > 65535)) throw new UsageError('--port must be between 1 and 65535');
  const target = new ClientTarget({ command, port: f.port as number | undefined, cwd: process.cwd(), keep: !!f.keep, isolation: f['no-isolation'] ? 'none' : 'auto', limits: limitsFromFlags(f), stdin: f.stdin !== undefined ? readStdinFile(f.stdin as string) : stdin });
  const flags = ['port', 'stdin', ...Object.keys(CONFINEMENT_FLAGS)].filter((k) => f[k] !== undefined).map((k) => ` --${k}${f[k] === true ? '' : ` ${shellQuote(String(f[k]))}`}`).join('');
  return { target, flags };
}

function readStdinFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the --stdin file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
