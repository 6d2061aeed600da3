// Confinement of a spawned program with bubblewrap: it sees the system read-only, the folders
// its command names read-only (the student's own, never its siblings), its sandbox read-write
// and a private /tmp; it gets its own PID namespace and dies with sockspec. The network is shared.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { walkTree } from '../walk';
import { onPath, pythonOf } from '../python';
import { probedOnce } from '../probes';

export type Isolation = 'bubblewrap' | 'none';

/** What the program sees of the machine besides its sandbox, read-only. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];
/** The private /tmp lives in memory: a bound on what it may hold. */
const TMP_BYTES = 512 << 20;

type Status = { ok: true; size: boolean } | { ok: false; why: string };
let status: Status | undefined;

const isStatus = (v: unknown): v is Status => {
  const s = v as Partial<{ ok: unknown; size: unknown; why: unknown }> | null;
  return !!s && typeof s === 'object' && ((s.ok === true && typeof s.size === 'boolean') || (s.ok === false && typeof s.why === 'string'));
};

/**
 * Whether bwrap can confine a program here (probed once, and handed down to the processes this
 * one starts): missing, or no namespaces allowed, says why.
 */
export function bubblewrapStatus(): Status {
  status ??= probedOnce('bubblewrap', isStatus, () => {
    const r = spawnSync('bwrap', [...systemArgs(), '--unshare-pid', '--die-with-parent', '--proc', '/proc', '--dev', '/dev', '--', '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
    const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return { value: { ok: false, why: 'bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)' }, lasting: true };
    // Only bwrap's own refusal lasts: one that timed out on a loaded machine, was killed or could
    // not be started (EAGAIN) leaves this process without; the next one asks again.
    if (r.status !== 0) return { value: { ok: false, why: `bubblewrap cannot run here (${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]})` }, lasting: !r.error && r.signal === null };
    const help = spawnSync('bwrap', ['--help'], { encoding: 'utf8', timeout: 10_000 });
    return { value: { ok: true, size: /--size/.test(help.stdout ?? '') }, lasting: help.status === 0 };
  });
  return status;
}

const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
const isSystem = (p: string) => SYSTEM.some((d) => isUnder(p, d));

function systemArgs(): string[] {
  const args: string[] = [];
  for (const d of SYSTEM) {
    let st;
    try {
      st = lstatSync(d);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(d), d);
    else if (st.isDirectory()) args.push('--ro-bind', d, d);
  }
  return args;
}

let hidden: string[] | undefined;

/** A handed-down list of what hiddenEtc makes, and nothing else: `--tmpfs P --remount-ro P` and `--ro-bind /dev/null P` groups, each P in /etc. */
function isHiddenEtc(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  const inEtc = (p: unknown) => typeof p === 'string' && p.startsWith('/etc/') && !p.split('/').includes('..');
  for (let i = 0; i < v.length; ) {
    if (v[i] === '--tmpfs' && v[i + 2] === '--remount-ro' && inEtc(v[i + 1]) && v[i + 3] === v[i + 1]) i += 4;
    else if (v[i] === '--ro-bind' && v[i + 1] === '/dev/null' && inEtc(v[i + 2])) i += 3;
    else return false;
  }
  return true;
}

/**
 * What only root may read in /etc (shadow, host keys, private certificates) stays hidden: root
 * inside is still uid 0. A walk of /etc (some 1200 entries here, 60 ms of CPU), handed down.
 */
export function hiddenEtc(): string[] {
  hidden ??= probedOnce('hiddenEtc', isHiddenEtc, () => {
    const args: string[] = [];
    walkTree('/etc', 4, (p, st) => {
      if (st.isDirectory() && (st.mode & 0o005) !== 0o005) args.push('--tmpfs', p, '--remount-ro', p);
      else if (st.isFile() && (st.mode & 0o004) === 0) args.push('--ro-bind', '/dev/null', p);
      else return st.isDirectory();
    });
    return { value: args, lasting: true };
  });
  return hidden;
}

/** Where a program outside the system is installed: the folder above its bin/, else its own folder. */
const installOf = (file: string) => (path.basename(path.dirname(file)) === 'bin' ? path.dirname(path.dirname(file)) : path.dirname(file));

export interface ConfinedCommand {
  /** The command's words, the program replaced by the real interpreter where a launcher was named. */
  words: string[];
  /** Folders the program sees read-only besides the system. */
  visible: string[];
}

/**
 * The folders a command needs to see: the folder of every file it names (the student's script
 * and what sits next to it, never the folders beside that), the folder the command was typed in
 * (relative paths and a script's imports from its project resolve there: grade types it in the
 * submission's own copy), and the program's installation.
 */
export function commandView(words: readonly string[], typedIn?: string): ConfinedCommand {
  const out = [...words];
  const folders: string[] = typedIn ? [typedIn] : [];
  const program = words[0] !== undefined ? onPath(words[0]) : undefined;
  if (program) {
    const python = pythonOf(program);
    if (python) {
      out[0] = python.executable;
      folders.push(...python.folders);
    } else {
      folders.push(installOf(program));
      try {
        folders.push(installOf(realpathSync(program)));
      } catch {
        // a dangling link: the shell will say so
      }
    }
  }
  for (const w of words.slice(1)) {
    if (!path.isAbsolute(w)) continue;
    try {
      folders.push(statSync(w).isDirectory() ? w : path.dirname(w));
    } catch {
      // names nothing that exists: nothing to show
    }
  }
  const home = process.env.HOME;
  const usable = [...new Set(folders.filter((f) => path.isAbsolute(f) && existsSync(f)).map((f) => path.normalize(f)))]
    // Never the whole machine or the whole home because a word named it.
    .filter((f) => f !== '/' && !isSystem(f) && !(home && isUnder(home, f)));
  const visible = usable.filter((f) => !usable.some((g) => g !== f && isUnder(f, g))).sort();
  return { words: out, visible };
}

/** bwrap's arguments around `argv`: the view above, `root` read-write, `cwd` the working directory. */
export function bubblewrapArgs(view: ConfinedCommand, root: string, cwd: string, argv: string[]): string[] {
  const st = bubblewrapStatus();
  const size = st.ok && st.size ? ['--size', String(TMP_BYTES)] : [];
  // Parents before children: a folder under /tmp is bound after the private /tmp is mounted.
  const binds = view.visible.flatMap((f) => ['--ro-bind', f, f]);
  return [
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-cgroup-try',
    ...systemArgs(),
    ...hiddenEtc(),
    '--proc', '/proc',
    '--dev', '/dev',
    ...size, '--tmpfs', '/tmp',
    ...binds,
    '--bind', root, root,
    '--remount-ro', '/',
    '--chdir', cwd,
    '--setenv', 'TMPDIR', '/tmp',
    '--',
    ...argv,
  ];
}

export interface RefusedAccess {
  /** Absolute, normalized. */
  path: string;
  write: boolean;
  /** In words: "read-only file system", "not visible there", "permission denied". */
  why: string;
}

/** A traceback's source line that writes: open() with a write mode, or a call that changes the filesystem. */
const WRITE_CALL = /open\([^)]*['"][rbt]*[wax+][rbt+]*['"]|mode\s*=\s*['"][rbt]*[wax+]|os\.(replace|rename|remove|unlink|rmdir|mkdir|makedirs|symlink|link|chmod|chown|utime|truncate)\(|shutil\.|\.(write_text|write_bytes|touch|mkdir|unlink|rmdir|rename|symlink_to|hardlink_to|chmod)\(/;

/**
 * Accesses outside the sandbox the confinement refused, as a Python traceback (or a shell)
 * reports them: `OSError: [Errno 30] Read-only file system: '/root/x'`. A path the program
 * cannot see at all fails as "No such file or directory"; it counts when it lies outside
 * every folder the program was shown.
 */
export function refusedAccesses(stderr: string, cwd: string, root: string, visible: readonly string[]): RefusedAccess[] {
  const out: RefusedAccess[] = [];
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const py = /^\w*Error: \[Errno (\d+)\] [^:]+: (['"])(.*?)\2/.exec(lines[i]);
    const sh = !py ? /^(?:[^:]+: )+(?:cannot create )?([^:]+): (Read-only file system|Permission denied)$/.exec(lines[i]) : null;
    if (!py && !sh) continue;
    const errno = py ? Number(py[1]) : sh![2] === 'Read-only file system' ? 30 : 13;
    const named = py ? py[3] : sh![1].trim();
    const abs = path.resolve(cwd, named);
    if (isUnder(abs, root) || ![2, 13, 30].includes(errno)) continue;
    const seen = isSystem(abs) || visible.some((v) => isUnder(abs, v));
    if (errno !== 30 && seen) continue;
    const write = errno === 30 || !!sh || WRITE_CALL.test(lines.slice(Math.max(0, i - 3), i).join('\n'));
    const why = errno === 30 ? 'read-only file system' : errno === 2 ? 'not visible there' : 'permission denied';
    if (!out.some((a) => a.path === abs && a.write === write)) out.push({ path: abs, write, why });
  }
  return out;
}
