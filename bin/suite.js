#!/usr/bin/env node
// npm test's runner: tap, with the Python installation asked once for the whole suite. Every
// test process (and every sockspec it starts) would otherwise ask python3 itself, through a
// pyenv shim about half a second of CPU each; SOCKSPEC_PYTHONS hands the answer down.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { transpile } = require('./ts-register.js');
const { onPath, pythonInstall } = require('../src/harness/python');

// The transpile cache filled here, once, before the test processes start: from a fresh clone
// each of them would otherwise load the TypeScript compiler for its own misses, six at a time.
// A warm cache costs a read and a hash per file. Only a head start: a file that does not
// transpile (work in progress) is left to the tests that load it, which report it.
const ROOT = fs.realpathSync(path.join(__dirname, '..')); // the loader's names are real paths
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

const python = onPath('python3');
if (python) pythonInstall(python); // puts SOCKSPEC_PYTHONS into this process's environment
const tap = path.join(__dirname, '..', 'node_modules', '.bin', 'tap');
const child = spawn(tap, process.argv.slice(2), { stdio: 'inherit' });
// Ctrl-C reaches tap through the terminal's process group; a signal sent to this process alone
// (a CI runner stopping the job) is passed on, so tap never runs on without it.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => {
  process.stderr.write(`npm test: could not run tap (${e.message}): run npm install first\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // Ended by a signal: end the same way, so whoever started npm test sees it.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
