// `sockspec autograder --out DIR`: a Gradescope autograder that grades one submission with
// `sockspec grade --single`. setup.sh installs node, python3 and sockspec when Gradescope builds
// the image; run_autograder writes /autograder/results/results.json from /autograder/submission.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../harness/errors';
import { shellQuote } from '../harness/targets/spawn';
import { VERSION } from '../harness/version';
import { parseFlags, type FlagKind } from '../cli-args';
import { planGrade, type GradeDeps } from './index';

const ROOT = path.join(__dirname, '..', '..');
/** Flags of grade that name a file: shipped inside the autograder and named from where it unpacks. */
const FILE_FLAGS = ['variant', 'users-file-from'];
/** grade flags that the autograder sets itself. */
const SET_HERE = ['out', 'jobs', 'single', 'shard', 'report-only', 'force', 'quiet'];

export function setupScript(install: string): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu):
# python3 for the students' servers and sockspec's socket watcher, node 20, then sockspec.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")"
apt-get update
# bubblewrap confines each server (sockspec runs them unconfined where namespaces are not allowed).
apt-get install -y --no-install-recommends python3 ca-certificates curl util-linux bubblewrap
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi
npm install -g ${install}
sockspec --version
`;
}

export function runScript(gradeArgs: string[]): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission: the student's files are in /autograder/submission,
# the score goes to /autograder/results/results.json. AUTOGRADER_ROOT moves the tree (a test
# runs it in a temporary folder); SOCKSPEC is the command that runs sockspec.
set -u
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
SOCKSPEC="\${SOCKSPEC:-sockspec}"
OUT="$ROOT/results/sockspec"
mkdir -p "$ROOT/results"
export PYTHONDONTWRITEBYTECODE=1
# shellcheck disable=SC2086 # SOCKSPEC may be a command with arguments (node /path/bin/sockspec.js)
$SOCKSPEC grade "$ROOT/submission" --single --jobs 1 --out "$OUT" ${gradeArgs.join(' ')}
status=$?
if [ -f "$OUT/students/submission/grading.json" ]; then
  cp "$OUT/students/submission/grading.json" "$ROOT/results/results.json"
else
  printf '{"score": 0, "output": "sockspec could not grade this submission (exit %s); the autograder log says why"}\\n' "$status" > "$ROOT/results/results.json"
fi
exit 0
`;
}

/** The grade arguments for the script: files named by flags point into the unpacked autograder. */
function scriptArgs(args: string[], spec: Record<string, FlagKind>, out: string): string[] {
  const f = parseFlags(args, spec);
  const words: string[] = [];
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || SET_HERE.includes(k) || k === 'sockspec' || k === 'no-zip') continue;
    if (spec[k] === 'boolean') {
      if (v) words.push(`--${k}`);
      continue;
    }
    for (const x of Array.isArray(v) ? v : [String(v)]) {
      if (FILE_FLAGS.includes(k)) {
        mkdirSync(path.join(out, 'files'), { recursive: true });
        copyFileSync(x, path.join(out, 'files', path.basename(x)));
        words.push(`--${k}`, `"$SOURCE/files/"${shellQuote(path.basename(x))}`);
      } else words.push(`--${k}`, shellQuote(x));
    }
  }
  return words;
}

export async function autograderCommand(args: string[], out: NodeJS.WriteStream, deps: GradeDeps): Promise<number> {
  const own: Record<string, FlagKind> = { out: 'string', sockspec: 'string', 'no-zip': 'boolean' };
  const gradeSpec: Record<string, FlagKind> = { ...Object.fromEntries(Object.entries(deps.fuzzFlags)), entry: 'string', lang: 'string', port: 'number', title: 'string', ...own };
  if (args.some((a) => /^--python(=|$)/.test(a))) throw new UsageError("autograder takes no --python: Gradescope's image runs the students' programs with the python3 its setup.sh installs, not an interpreter of this machine");
  const f = parseFlags(args, gradeSpec);
  if (!f.out) throw new UsageError('usage: sockspec autograder --out DIR --protocol P [grade flags] [--sockspec NPM-SPEC] [--no-zip]');
  const dir = path.resolve(f.out as string);
  // The same checks grade makes, on an empty class: a mistake shows now, not on Gradescope.
  const empty = mkdtempSync(path.join(os.tmpdir(), 'sockspec-autograder-'));
  try {
    const rest = args.filter((a, i) => !/^--(out|sockspec|no-zip)(=|$)/.test(a) && !(/^--(out|sockspec)$/.test(args[i - 1] ?? '')));
    await planGrade([empty, ...rest], deps);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  let install: string;
  if (f.sockspec) install = shellQuote(f.sockspec as string);
  else {
    // This sockspec, packed: the autograder installs exactly the version that wrote it.
    for (const old of readdirSync(dir).filter((n) => /^sockspec-.*\.tgz$/.test(n))) rmSync(path.join(dir, old));
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    const file = pack.stdout?.trim().split('\n').pop();
    if (pack.status !== 0 || !file) throw new UsageError(`npm pack failed: ${(pack.stderr || pack.error?.message || '').trim().split('\n')[0]} (give --sockspec NPM-SPEC to install sockspec from elsewhere)`);
    install = `./${shellQuote(file)}`;
  }
  const words = scriptArgs(args, gradeSpec, dir);
  writeFileSync(path.join(dir, 'setup.sh'), setupScript(install));
  writeFileSync(path.join(dir, 'run_autograder'), runScript(words));
  chmodSync(path.join(dir, 'setup.sh'), 0o755);
  chmodSync(path.join(dir, 'run_autograder'), 0o755);
  const files = readdirSync(dir).filter((n) => n !== 'autograder.zip');
  out.write(`wrote ${path.relative(process.cwd(), dir) || '.'}/: ${files.join(', ')} (sockspec ${VERSION})\n`);
  if (!f['no-zip']) {
    // Gradescope takes a zip with setup.sh and run_autograder at its top; python3 is there anyway (sockspec needs it).
    const zip = path.join(dir, 'autograder.zip');
    rmSync(zip, { force: true });
    const z = spawnSync('python3', ['-m', 'zipfile', '-c', zip, ...files], { cwd: dir, encoding: 'utf8' });
    if (z.status !== 0) throw new UsageError(`could not write ${zip}: ${z.stderr.trim().split('\n').pop()}`);
    out.write(`wrote ${path.relative(process.cwd(), zip)}: upload it as the assignment's autograder on Gradescope\n`);
  }
  return 0;
}
