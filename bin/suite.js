#!/usr/bin/env node
// npm test's runner: tap, with the Python installation asked once for the whole suite. Every
// test process (and every sockspec it starts) would otherwise ask python3 itself, through a
// pyenv shim about half a second of CPU each; SOCKSPEC_PYTHONS hands the answer down.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
require('./ts-register.js');
const { onPath, pythonInstall } = require('../src/harness/python');

const python = onPath('python3');
if (python) pythonInstall(python); // puts SOCKSPEC_PYTHONS into this process's environment
const tap = path.join(__dirname, '..', 'node_modules', '.bin', 'tap');
const r = spawnSync(tap, process.argv.slice(2), { stdio: 'inherit' });
if (r.error) {
  process.stderr.write(`npm test: could not run tap (${r.error.message}): run npm install first\n`);
  process.exit(2);
}
process.exit(r.status ?? 1);
