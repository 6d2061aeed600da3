#!/usr/bin/env node
// npm test's runner: the type check (tsc --noEmit) beside tap, with the Python installation
// asked once for the whole suite. Every test process (and every sockspec it starts) would
// otherwise ask python3 itself, through a pyenv shim about half a second of CPU each;
// SOCKSPEC_PYTHONS hands the answer down, and SOCKSPEC_PROBES what confinement asks of the
// machine (bubblewrap, /etc, prlimit). With arguments (one test file, tap's flags) it runs
// tap alone: the type check is for the whole suite.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { transpile } = require('./ts-register.js');
const { installedClassIsStale } = require('./tap-class.js');
const { onPath, pythonInstall } = require('../src/harness/python');
const { probeConfinement } = require('../src/harness/targets/spawn');

// The type check runs while the cache below fills and the tests run: one after the other, a
// fresh clone waited some 6 s for it with one of the two cores idle. Its output is held and
// printed after tap's (an error fails npm test all the same). It starts after tap's build
// (below) when there is one: the build rewrites the type declarations the tests import.
const args = process.argv.slice(2);
let typecheck;

function startTypecheck() {
  const tsc = path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc');
  const child = spawn(process.execPath, [tsc, '--noEmit', '-p', path.join(__dirname, '..')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise((resolve) => {
    child.on('error', (e) => resolve({ ok: false, output: `could not run tsc (${e.message}): run npm install first\n` }));
    child.on('close', (code, signal) => resolve({ ok: code === 0, output: output || (signal ? `tsc was killed by ${signal}\n` : '') }));
  });
  return { child, done };
}

// tap's Test class built for .taprc's plugins before tap starts, when it is not (a fresh
// install: see bin/tap-class.js), beside the cache below; the type check starts after it, since
// the build rewrites the declarations it reads. DISABLE_V8_COMPILE_CACHE keeps ts-node's cache
// out of the suite should ts-node be loaded all the same (the build failing).
process.env.DISABLE_V8_COMPILE_CACHE = '1';
const ROOT = fs.realpathSync(path.join(__dirname, '..')); // the loader's names (below) are real paths
const TAP = path.join(ROOT, 'node_modules', '.bin', 'tap');
let building;
const build = installedClassIsStale(ROOT) ? startBuild() : undefined;
if (!args.length) {
  if (build) build.then(() => (typecheck = startTypecheck()));
  else typecheck = startTypecheck();
}

function startBuild() {
  const child = spawn(TAP, ['build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  building = child;
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    child.on('error', () => resolve()); // no tap: starting it below says so
    child.on('close', (code) => {
      building = undefined;
      if (code !== 0) process.stderr.write(`npm test: tap build failed (tap rebuilds for the next run):\n${output}`);
      resolve();
    });
  });
}

// The transpile cache filled here, once, before the test processes start: from a fresh clone
// each of them would otherwise load the TypeScript compiler for its own misses, six at a time.
// A warm cache costs a read and a hash per file. Only a head start: a file that does not
// transpile (work in progress) is left to the tests that load it, which report it.
for (const dir of ['src', 'properties']) {
  let names = [];
  try {
    names = fs.readdirSync(path.join(ROOT, dir), { recursive: true });
  } catch {
    continue;
  }
  for (const name of names) {
    const file = path.join(ROOT, dir, String(name));
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    try {
      transpile(fs.readFileSync(file, 'utf8'), file);
    } catch {
      // not a readable or valid file: the test that loads it says so
    }
  }
}

// The suite's temporary files (a sandbox for every server start, recordings, results: thousands
// a run) go to memory when TMPDIR is not set and /dev/shm is there. On this machine's disk
// (reads of some 80 ms each, its page cache reclaimed by the machine) their directories'
// metadata held every process in iowait for seconds mid-suite, and a corrected upload server,
// even the in-process reference, then missed a one-second step.
if (!process.env.TMPDIR && isWritableDir('/dev/shm')) process.env.TMPDIR = '/dev/shm';

function isWritableDir(dir) {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

const python = onPath('python3');
if (python) pythonInstall(python); // puts SOCKSPEC_PYTHONS into this process's environment
// Whether bwrap confines here (and what of /etc it hides) and whether prlimit is installed,
// likewise (SOCKSPEC_PROBES): each test process, and each sockspec those start, would otherwise
// make and tear down a namespace of its own to ask and walk /etc (about 0.15 s of CPU each).
probeConfinement('auto');
// Ctrl-C reaches tap through the terminal's process group; a signal sent to this process alone
// (a CI runner stopping the job) is passed on, so nothing it started runs on without it. Before
// tap starts (the build) the signal ends this process too.
let tap;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    building?.kill(sig);
    typecheck?.child.kill(sig);
    if (tap) tap.kill(sig);
    else process.exit(128 + os.constants.signals[sig]);
  });
}
(build ?? Promise.resolve()).then(runTap);

function runTap() {
  const child = spawn(TAP, args, { cwd: ROOT, stdio: 'inherit' });
  tap = child;
  child.on('error', (e) => {
    process.stderr.write(`npm test: could not run tap (${e.message}): run npm install first\n`);
    typecheck?.child.kill();
    process.exit(2);
  });
  child.on('exit', async (code, signal) => {
    if (signal) {
      // Ended by a signal: end the same way, so whoever started npm test sees it.
      typecheck?.child.kill(signal);
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    const checked = typecheck && (await typecheck.done);
    if (checked && !checked.ok) process.stderr.write(`npm test: the type check (tsc --noEmit) failed:\n${checked.output}`);
    else if (checked) process.stdout.write('npm test: the type check (tsc --noEmit) passed\n');
    const status = code ?? 1;
    process.exit(status !== 0 ? status : checked && !checked.ok ? 1 : 0);
  });
}
