#!/usr/bin/env node
// Runs the TypeScript sources (CommonJS) with no build step: ts-register.js transpiles them the
// way ts-node's transpile-only mode does and keeps the output between runs.
'use strict';
require('./ts-register.js');
const { main } = require('../src/cli.ts');
// Output piped into a reader that stops early (| head): stop quietly, like other commands, with
// the status of a writer whose reader went away (128 + SIGPIPE), not a verdict: the run was cut short.
const EXIT_PIPE = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(EXIT_PIPE);
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
