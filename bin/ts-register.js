// Runs the TypeScript sources with a disk cache of their transpiled JavaScript, shared by the
// command line and every test process: a start that finds every file cached never loads the
// TypeScript compiler at all (loading it was most of a second of CPU, paid by each `sockspec`
// run and by each of the suite's test files). A miss transpiles the file the way ts-node's
// transpile-only mode does (TypeScript's transpileModule with the project's compiler options)
// and stores it. Entries are keyed by the TypeScript version, tsconfig.json, the file name and
// its source, so an edit is never served stale. Source maps are inline, and Node applies them
// to stack traces.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'node_modules', '.cache', 'sockspec-ts');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');

let salt;
/** What every entry depends on besides its own source: the compiler and the project's options. */
function saltOf() {
  if (!salt) {
    const version = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
    salt = createHash('sha256').update(`${version}\0${fs.readFileSync(TSCONFIG, 'utf8')}\0inline-maps-beside`).digest();
  }
  return salt;
}

let compiler;
/** TypeScript and the project's compiler options, loaded on the first miss only. */
function compilerOf() {
  if (!compiler) {
    const ts = require('typescript');
    const read = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
    // No outDir: the map then names the source beside the file it runs as (the stack traces are right).
    const options = { ...parsed.options, outDir: undefined, sourceMap: false, inlineSourceMap: true, declaration: false, noEmit: false };
    compiler = { ts, options };
  }
  return compiler;
}

/** The JavaScript of one TypeScript file, from the cache or freshly transpiled (and then cached). */
function transpile(source, fileName) {
  const key = createHash('sha256').update(saltOf()).update(`${fileName}\0${source}`).digest('hex');
  const file = path.join(DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not cached yet (or unreadable): transpile below
  }
  const { ts, options } = compilerOf();
  const r = ts.transpileModule(source, { fileName, compilerOptions: options, reportDiagnostics: true });
  if (r.diagnostics && r.diagnostics.length) {
    const d = r.diagnostics[0];
    throw new SyntaxError(`${fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  try {
    fs.mkdirSync(DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, r.outputText);
    fs.renameSync(tmp, file); // atomic: a concurrent start never reads half an entry
  } catch {
    // a read-only checkout: no cache, same output
  }
  return r.outputText;
}

// Installed even over another .ts hook: a child of a test process inherits the test runner's
// NODE_OPTIONS, whose hooks would hand .ts files to the JavaScript loader.
const compileTs = (module, fileName) => module._compile(transpile(fs.readFileSync(fileName, 'utf8'), fileName), fileName);
compileTs.sockspec = true;
if (!require.extensions['.ts'] || !require.extensions['.ts'].sockspec) {
  process.setSourceMapsEnabled(true);
  require.extensions['.ts'] = compileTs;
}

module.exports = { transpile, DIR };
