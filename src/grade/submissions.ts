// A class folder's submissions: which folder or file is whose, which .py is the server, which
// port it takes, and a hash of its sources. Pure functions over file texts where possible, so
// the guesses are tested on strings.
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Messages } from '../harness/report/i18n';

export interface Submission {
  /** The student's name: the folder's name, or the file's without .py. */
  name: string;
  /** The submission's folder, or its single file. */
  source: string;
  /** true when the submission is one .py file directly in the class folder. */
  single: boolean;
}

/** Folders never copied nor hashed: caches, VCS data, virtual environments. */
const SKIP_DIRS = new Set(['__pycache__', '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '.mypy_cache', '.pytest_cache', '.idea', '.vscode']);
const skipFile = (name: string) => name.endsWith('.pyc') || name === '.DS_Store';

/**
 * The submissions of a class folder: each subfolder, and each .py file directly in it, sorted by
 * name. Hidden entries and `exclude` (the output folder, when it lies inside) are not students.
 */
export function listSubmissions(dir: string, exclude: string[] = []): Submission[] {
  const out: Submission[] = [];
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (n.startsWith('.') || SKIP_DIRS.has(n) || skip.has(path.resolve(p))) continue;
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) out.push({ name: n, source: p, single: false });
    else if (st.isFile() && n.endsWith('.py')) out.push({ name: n.slice(0, -3), source: p, single: true });
  }
  // A folder and a file of the same name (alice/ and alice.py): the file keeps its extension.
  const names = new Map<string, number>();
  for (const s of out) names.set(s.name, (names.get(s.name) ?? 0) + 1);
  for (const s of out) if (s.single && names.get(s.name)! > 1) s.name = `${s.name}.py`;
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The submission's files (relative, sorted); symbolic links are left out: they could point at another student's files. */
export function sourceFiles(sub: Submission): string[] {
  if (sub.single) return [path.basename(sub.source)];
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(path.join(sub.source, rel)).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      let st;
      try {
        st = lstatSync(path.join(sub.source, r));
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(n) && depth < 8) walk(r, depth + 1);
      } else if (st.isFile() && !skipFile(n)) out.push(r);
    }
  };
  walk('', 0);
  return out;
}

const baseOf = (sub: Submission) => (sub.single ? path.dirname(sub.source) : sub.source);

/** sha256 over every file's name and bytes: a resubmission changes it, a touch does not. */
export function sourceHash(sub: Submission, files = sourceFiles(sub)): string {
  const h = createHash('sha256');
  for (const rel of files) {
    h.update(rel).update('\0');
    h.update(readFileSync(path.join(baseOf(sub), rel))).update('\0');
  }
  return h.digest('hex');
}

/** Copies the submission's files (and nothing else) into `dest`, which it creates. */
export function copySubmission(sub: Submission, dest: string, files = sourceFiles(sub)): void {
  mkdirSync(dest, { recursive: true });
  for (const rel of files) {
    const to = path.join(dest, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(path.join(baseOf(sub), rel), to);
  }
}

/** The .py files' texts (not over 1 MB each), by relative name. */
export function pythonTexts(sub: Submission, files = sourceFiles(sub)): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of files.filter((f) => f.endsWith('.py'))) {
    const p = path.join(baseOf(sub), rel);
    if (statSync(p).size <= 1 << 20) out.set(rel, readFileSync(p, 'utf8'));
  }
  return out;
}

/** Python source without comments and string contents would be better; comments alone go (a commented-out bind is no server). */
function code(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '$1'))
    .join('\n');
}

/** What makes a file a server: it binds or listens, or builds a socketserver or an asyncio server. */
const SERVES = /\.bind\s*\(|\.listen\s*\(|\bstart_server\s*\(|\bcreate_server\s*\(|\bserve_forever\s*\(|^\s*(?:import|from)\s+socketserver\b/m;

/** Local modules a file imports (`import kit`, `from kit import x`, `import a, b`). */
function importsOf(text: string, local: Set<string>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+?)[ \t]*(?:#|$))/gm)) {
    const names = m[1] ? [m[1]] : m[2].split(',').map((s) => s.trim().split(/\s+as\s+/)[0]);
    for (const n of names) {
      const mod = n.replace(/^\.+/, '').split('.')[0];
      if (local.has(mod)) out.push(mod);
    }
  }
  return out;
}

export interface EntryChoice {
  entry?: string;
  /** Why there is none, in one sentence. */
  error?: string;
  /** A guess worth telling the teacher (the --entry file was missing, another was graded). */
  note?: string;
}

/**
 * The server of a submission: `wanted` (a relative path, or a file name found anywhere) when it
 * is there, else the one .py file that serves (binds, listens, or imports a local module that
 * does) and that no other file of the submission imports (a helper module is not the program).
 */
export function findEntry(texts: Map<string, string>, msg: Messages, wanted?: string): EntryChoice {
  if (wanted) {
    const norm = wanted.replace(/^\.\//, '');
    const hit = texts.has(norm) ? norm : [...texts.keys()].filter((k) => path.posix.basename(k) === path.posix.basename(norm));
    if (typeof hit === 'string') return { entry: hit };
    if (hit.length === 1) return { entry: hit[0] };
  }
  if (!texts.size) return { error: msg.why.noPython };
  const moduleOf = (rel: string) => path.posix.basename(rel, '.py');
  const local = new Set([...texts.keys()].map(moduleOf));
  const cleaned = new Map([...texts].map(([k, v]) => [k, code(v)]));
  const imports = new Map([...cleaned].map(([k, v]) => [k, importsOf(v, local)]));
  const serving = new Set([...cleaned].filter(([, v]) => SERVES.test(v)).map(([k]) => moduleOf(k)));
  // A file serves when it imports a module that does (the corrected examples call server_kit.listen).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, mods] of imports) {
      if (!serving.has(moduleOf(k)) && mods.some((m) => serving.has(m))) {
        serving.add(moduleOf(k));
        changed = true;
      }
    }
  }
  const imported = new Set([...imports.values()].flat());
  const roots = [...texts.keys()].filter((k) => serving.has(moduleOf(k)) && !imported.has(moduleOf(k))).sort();
  if (roots.length === 1) return { entry: roots[0], note: wanted ? msg.why.entryFallback(wanted, roots[0]) : undefined };
  if (wanted) return { error: msg.why.entryMissing(wanted) };
  if (!roots.length) return { error: msg.why.noServer };
  return { error: msg.why.several(roots) };
}

export interface PortChoice {
  /** The server reads its port from sys.argv: spawn it with {port}. */
  argv: boolean;
  /** The literal port it binds, when it reads none. */
  port?: number;
}

const validPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

/** The text of a call's arguments, from just after its "(" to the matching ")". */
function argumentsAt(src: string, from: number): string {
  let depth = 1;
  for (let i = from; i < src.length && i < from + 2000; i++) {
    if (src[i] === '(') depth++;
    else if (src[i] === ')' && --depth === 0) return src.slice(from, i);
  }
  return src.slice(from, from + 200);
}

/**
 * How a server gets its port: from sys.argv (then sockspec gives it one), else the literal port
 * in its bind, socketserver or asyncio call, directly (`bind(('', 8001))`) or through a name
 * assigned once (`PORT = 8001`, `ADDR = ('127.0.0.1', 8001)`).
 */
export function detectPort(text: string): PortChoice {
  const src = code(text);
  if (/\bsys\.argv\b|\bargv\s*\[|\bargparse\b/.test(src)) return { argv: true };
  const assigned = new Map<string, string>();
  for (const m of src.matchAll(/^\s*([A-Za-z_]\w*)\s*=\s*(.+?)\s*$/gm)) if (!assigned.has(m[1])) assigned.set(m[1], m[2]);
  const resolve = (expr: string, depth = 0): number[] => {
    const found: number[] = [];
    // String literals go first: the digits of '127.0.0.1' are no port.
    for (const tok of expr.replace(/'[^'\n]*'|"[^"\n]*"/g, "''").matchAll(/\b(\d{2,5})\b|\b([A-Za-z_]\w*)\b/g)) {
      if (tok[1] !== undefined) {
        if (validPort(Number(tok[1]))) found.push(Number(tok[1]));
      } else if (depth < 3 && assigned.has(tok[2])) found.push(...resolve(assigned.get(tok[2])!, depth + 1));
    }
    return found;
  };
  // A plain listen(8001) is a helper of the student's own (the examples' server_kit); sock.listen(5) is a backlog.
  const calls = [...src.matchAll(/(?:\.bind|\bstart_server|\bcreate_server|\b\w*(?:TCP|UDP)Server|(?<![.\w])listen)\s*\(/g)].map((m) => argumentsAt(src, m.index! + m[0].length));
  for (const m of src.matchAll(/\bport\s*=\s*([A-Za-z_]\w*|\d+)/g)) calls.push(m[1]);
  const ports = new Set(calls.flatMap((c) => resolve(c)));
  if (ports.size === 1) return { argv: false, port: [...ports][0] };
  // A module-level PORT = 8001 that the call reaches some other way.
  const named = [...assigned].filter(([k, v]) => /port/i.test(k) && /^\d+$/.test(v) && validPort(Number(v)));
  if (ports.size === 0 && named.length === 1) return { argv: false, port: Number(named[0][1]) };
  return { argv: false };
}
