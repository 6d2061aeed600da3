// The Python interpreters behind command words, asked of each once. A launcher such as a pyenv
// shim is a shell script that runs several more: about half a second of CPU a call, paid by
// every sockspec process (confining the server, starting the sock_diag helper). What a process
// learnt goes into its environment (SOCKSPEC_PYTHONS), so the processes it starts (grade's fuzz
// runs, a test's command lines) never ask again.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { PROBES_ENV } from './probes';

export interface Interpreter {
  /** The real executable (a launcher replaced). */
  executable: string;
  /** Its own files: its folder, prefixes and sys.path. */
  folders: string[];
}

const ENV = 'SOCKSPEC_PYTHONS';

/** By the program's absolute path; null: not a Python (run it as it is). */
const known = new Map<string, Interpreter | null>(handedDown());
/** Asks that failed to run (timed out on a loaded machine): no answer to hand down. */
const unanswered = new Set<string>();

function handedDown(): [string, Interpreter | null][] {
  try {
    const given = JSON.parse(process.env[ENV] ?? '{}') as Record<string, Interpreter | null>;
    return Object.entries(given).filter(([k, v]) => path.isAbsolute(k) && (v === null || (typeof v?.executable === 'string' && Array.isArray(v.folders))));
  } catch {
    return [];
  }
}

/** `word` found on PATH, like the shell would. */
export function onPath(word: string): string | undefined {
  if (word.includes('/')) return path.resolve(word);
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir || '.', word);
    try {
      if (statSync(p).isFile()) return path.resolve(p);
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A Python interpreter's own files (its prefixes and sys.path), asked of it once (in /, so that
 * no project's version file picks another). The real executable replaces a launcher.
 */
export function pythonInstall(program: string): Interpreter | undefined {
  const seen = known.get(program);
  if (seen !== undefined) return seen ?? undefined;
  const code = 'import json, sys; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix] + sys.path))';
  const r = spawnSync(program, ['-c', code], { encoding: 'utf8', timeout: 10_000, cwd: '/' });
  let found: Interpreter | null = null;
  if (r.error || r.status === null) unanswered.add(program);
  try {
    const [executable, ...folders] = JSON.parse(r.stdout) as string[];
    if (r.status === 0 && path.isAbsolute(executable)) found = { executable, folders: [path.dirname(executable), ...folders] };
  } catch {
    // not a Python after all, or it failed: run it as it is
  }
  known.set(program, found);
  // Every sockspec process started from here on (a test's, grade's fuzz runs) knows it too.
  process.env[ENV] = JSON.stringify(Object.fromEntries([...known].filter(([k]) => !unanswered.has(k))));
  return found ?? undefined;
}

/**
 * The interpreter behind a program (a command's first word, found on PATH) when it is named
 * like a Python (`python3`, `python3.12`, a venv's `python`), asked once.
 */
export function pythonOf(program: string | undefined): Interpreter | undefined {
  return program && /^python[\d.]*$/.test(path.basename(program)) ? pythonInstall(program) : undefined;
}

/** The real executable behind a command word when it is already known here (never asks). */
export function knownPython(word: string): string | undefined {
  const program = onPath(word);
  return (program && known.get(program)?.executable) || undefined;
}

/** The environment for a student's program: this process's, without what only sockspec reads. */
export function studentEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[ENV];
  delete env[PROBES_ENV];
  return env;
}
