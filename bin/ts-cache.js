// A ts-node transpiler (transpile-only) with a disk cache, so that the command line does not
// transpile every source file again on each start: that was about 0.7 s of a 1 s start, paid
// by every `sockspec` run and by every test that runs the command line. An entry is keyed by
// the TypeScript version, the compiler options, the file name and the source, so an edit is
// never served stale. Files with diagnostics are not cached (ts-node reports them each time).
// Without a writable node_modules/.cache, it transpiles as ts-node would.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'sockspec-ts');

exports.create = ({ service }) => {
  const compilerOptions = service.config.options;
  const salt = createHash('sha256').update(`${ts.version}\0${JSON.stringify(compilerOptions)}`).digest();
  return {
    transpile(input, { fileName }) {
      const key = createHash('sha256').update(salt).update(`${fileName}\0${input}`).digest('hex');
      const file = path.join(DIR, `${key}.json`);
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        // not cached yet (or unreadable): transpile below
      }
      const r = ts.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true });
      const out = { outputText: r.outputText, sourceMapText: r.sourceMapText };
      if (!r.diagnostics || r.diagnostics.length === 0) {
        try {
          fs.mkdirSync(DIR, { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, JSON.stringify(out));
          fs.renameSync(tmp, file); // atomic: a concurrent start never reads half an entry
        } catch {
          // a read-only checkout: no cache, same output
        }
      }
      return { ...out, diagnostics: r.diagnostics };
    },
  };
};
