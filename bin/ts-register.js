// Runs the TypeScript sources with a disk cache of their transpiled JavaScript, shared by the
// command line and every test process: a start that finds every file cached never loads the
// TypeScript compiler at all (loading it was most of a second of CPU, paid by each `sockspec`
// run and by each of the suite's test files). A miss transpiles the file the way ts-node's
// transpile-only mode does (TypeScript's transpileModule with the project's compiler options)
// and stores it. Entries are keyed by the TypeScript version, tsconfig.json, the file name and
// its source, so an edit is never served stale. Source maps are inline, and read when a stack
// trace is first formatted (below).
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
  require.extensions['.ts'] = compileTs;
  // Where Node maps stacks itself (--enable-source-maps: tap's test processes) it is left to do
  // so; a formatter of someone else's is left alone too.
  const current = Error.prepareStackTrace;
  if (!process.sourceMapsEnabled && (!current || current.name === 'ErrorPrepareStackTrace')) Error.prepareStackTrace = prepareStackTrace;
}

// Stack traces name the TypeScript: a .ts frame's position goes through its file's inline source
// map, decoded when a stack is first formatted. (Node's own source-map support parsed every
// module's map as it loaded: 60 ms of CPU of each command's start, for stacks rarely printed.)
const maps = new Map();
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Per line of the JavaScript, its segments [column, source line, source column] (0-based), or null. */
function mapOf(fileName) {
  if (!maps.has(fileName)) {
    let lines = null;
    try {
      const js = transpile(fs.readFileSync(fileName, 'utf8'), fileName);
      const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(js);
      if (m) lines = decodeMappings(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')).mappings);
    } catch {
      // edited or gone since it ran: its frames stay as they are
    }
    maps.set(fileName, lines);
  }
  return maps.get(fileName);
}

/** The source map's base64 VLQ mappings (one source: the file's own .ts). */
function decodeMappings(mappings) {
  const out = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let col = 0;
    for (const seg of line.split(',')) {
      const v = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) * 2 ** shift;
        if (d & 32) shift += 5;
        else {
          v.push(value % 2 ? -Math.floor(value / 2) : value / 2);
          value = 0;
          shift = 0;
        }
      }
      if (v.length === 0) continue;
      col += v[0];
      if (v.length >= 4) {
        srcLine += v[2];
        srcCol += v[3];
        segments.push([col, srcLine, srcCol]);
      }
    }
    out.push(segments);
  }
  return out;
}

/** A frame as V8 writes it, its JavaScript position replaced by the TypeScript one. */
function mappedFrame(frame) {
  const text = String(frame);
  try {
    const file = frame.getFileName();
    const line = frame.getLineNumber();
    const col = frame.getColumnNumber();
    if (!file || !file.endsWith('.ts') || !line || !col) return text;
    const segments = mapOf(file)?.[line - 1];
    if (!segments?.length) return text;
    let best = segments[0];
    for (const s of segments) if (s[0] <= col - 1) best = s;
    const at = `${file}:${line}:${col}`;
    const i = text.lastIndexOf(at);
    return i < 0 ? text : `${text.slice(0, i)}${file}:${best[1] + 1}:${best[2] + 1}${text.slice(i + at.length)}`;
  } catch {
    return text;
  }
}

function prepareStackTrace(error, frames) {
  let head;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = 'Error';
  }
  return head + frames.map((f) => `\n    at ${mappedFrame(f)}`).join('');
}

module.exports = { transpile, DIR };
