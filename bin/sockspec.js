#!/usr/bin/env node
// Runs the TypeScript sources through ts-node (CommonJS), so the checkout needs no build step;
// ts-cache.js keeps the transpiled files between runs.
'use strict';
const path = require('node:path');
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json'), transpileOnly: true, transpiler: path.join(__dirname, 'ts-cache.js') });
const { main } = require('../src/cli.ts');
// Output piped into a reader that stops early (| head): stop quietly, like other commands.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`sockspec: internal error: ${e && e.stack ? e.stack : String(e)}\n`);
    process.exit(3);
  },
);
