// The transpile cache every start shares (bin/ts-register.js: the command line, and through
// bin/ts-import.mjs each test process, whose .ts files bin/ts-hooks.mjs hands to the CommonJS
// loader): the same JavaScript as TypeScript's own transpiler with
// the project's options, read back from the cache the next time, a new entry once the source
// changes, and a syntax error in words instead of a half-loaded module.
import t from 'tap';
import ts from 'typescript';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const { transpile, DIR } = require('../bin/ts-register.js') as { transpile(source: string, fileName: string): string; DIR: string };

t.test('cached output equals a fresh transpile, and an edit is never served stale', async (t) => {
  const fileName = path.join(__dirname, `ts-register-probe-${process.pid}-${Date.now()}.ts`);
  const source = `export const n: number = ${Date.now()};\n`;
  const entries = () => new Set(existsSync(DIR) ? readdirSync(DIR) : []);
  const before = entries();
  const added = () => [...entries()].filter((e) => !before.has(e));
  t.teardown(() => added().forEach((e) => rmSync(path.join(DIR, e), { force: true })));
  const first = transpile(source, fileName);
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(__dirname, '..', 'tsconfig.json'), ts.sys.readFile).config, ts.sys, path.join(__dirname, '..'));
  const fresh = ts.transpileModule(source, { fileName, compilerOptions: { ...config.options, outDir: undefined, sourceMap: false, inlineSourceMap: true, declaration: false, noEmit: false } });
  t.equal(first, fresh.outputText, "the same JavaScript as TypeScript's transpiler, with the project's options");
  t.match(first, /exports\.n = /, 'CommonJS');
  t.match(first, /sourceMappingURL=data:/, 'with an inline source map (stack traces point at the TypeScript)');
  const [entry] = added();
  t.equal(added().length, 1, 'one entry written');
  // Mark the entry: the next start must serve it instead of transpiling again.
  writeFileSync(path.join(DIR, entry), 'cached');
  t.equal(transpile(source, fileName), 'cached', 'read back from the cache');
  const edited = transpile(source.replace('number', 'any'), fileName);
  t.match(edited, /exports\.n = /, 'an edit is transpiled again');
  t.equal(added().length, 2, 'an edit is a new entry');
  t.throws(() => transpile('export const = ;\n', fileName), /SyntaxError|ts-register-probe/, 'a syntax error is thrown in words');
});

t.test('a stack trace names the TypeScript file and line', async (t) => {
  const file = path.join(__dirname, `ts-register-throws-${process.pid}-${Date.now()}.ts`);
  writeFileSync(file, `type N = number;\nconst n: N = 1;\nexport function boom(): never { throw new Error('boom ' + n); }\n`);
  const before = new Set(existsSync(DIR) ? readdirSync(DIR) : []);
  t.teardown(() => {
    rmSync(file, { force: true });
    // Its cache entry too (the name is new each run).
    for (const e of readdirSync(DIR)) if (!before.has(e)) rmSync(path.join(DIR, e), { force: true });
  });
  const { boom } = require(file) as { boom(): never };
  const stack = (() => {
    try {
      boom();
    } catch (e) {
      return String((e as Error).stack);
    }
  })();
  // Line 3 of the .ts (the JavaScript has the type line removed), at its own path.
  t.match(stack, `${file}:3:`, 'the source file beside the test, its line (tap maps it here: --enable-source-maps)');
  // A command's process has no --enable-source-maps: ts-register maps its frames itself, when a
  // stack is formatted (a frame on line 3 async too).
  const code = `require(${JSON.stringify(path.join(__dirname, '..', 'bin', 'ts-register.js'))});
const { boom } = require(${JSON.stringify(file)});
try { boom(); } catch (e) { console.log(process.sourceMapsEnabled, e.stack); }
(async () => { await null; boom(); })().catch((e) => console.log(e.stack.split('\\n')[1]));`;
  const child = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  t.equal(child.status, 0, child.stderr);
  t.match(child.stdout, /^false Error: boom 1\n/, "Node's own source maps are off there");
  t.match(child.stdout, `at boom (${file}:3:`, 'its frame names the .ts file and line');
  t.equal(child.stdout.split(`${file}:3:`).length, 3, 'the async frame too');
});

t.test('this very process runs its TypeScript through the cache', async (t) => {
  const extensions = (require('node:module') as { _extensions: Record<string, unknown> })._extensions;
  t.type(extensions['.ts'], 'function', 'the .ts extension is installed');
  // bin/ts-hooks.mjs hands .ts files to the CommonJS loader itself: a module whose source a hook
  // returned gets a require() that asks the hooks thread for every module, and no require.cache.
  t.ok(require.cache[__filename], 'this file is a CommonJS module in require.cache');
  t.equal(require.main, module, 'and the main module');
});

t.test("a stale tap build is told from .taprc's plugin list, however the YAML is written", async (t) => {
  const { yamlList, classIsStale, installedClassIsStale } = require('../bin/tap-class.js') as {
    yamlList(text: string, key: string): string[];
    classIsStale(signature: string, taprc: string, defaults: string[]): boolean;
    installedClassIsStale(root: string): boolean;
  };
  const lists: [string, string[]][] = [
    ['include:\n  - "a/**/*.ts"\nplugin:\n  - "!@tapjs/mock"\n  - \'!@tapjs/typescript\'\nnode-arg:\n  - "--import=x"\n', ['!@tapjs/mock', '!@tapjs/typescript']],
    ['plugin:\r\n- "!@tapjs/mock"   # not used\r\n\r\n  # a comment line\r\n- @tapjs/extra\r\njobs: 8', ['!@tapjs/mock', '@tapjs/extra']],
    ['plugin: ["!@tapjs/mock", \'@tapjs/extra\']\njobs: 8\n', ['!@tapjs/mock', '@tapjs/extra']],
    ['jobs: 8\n', []],
  ];
  for (const [text, want] of lists) t.same(yamlList(text, 'plugin'), want, JSON.stringify(text));
  const defaults = ['@tapjs/a', '@tapjs/mock', '@tapjs/typescript'];
  const rc = 'plugin:\n  - "!@tapjs/mock"\n  - "!@tapjs/typescript"\n';
  t.notOk(classIsStale('@tapjs/a', rc, defaults), 'built for .taprc: nothing to build');
  t.ok(classIsStale('@tapjs/a\n@tapjs/mock\n@tapjs/typescript', rc, defaults), "a fresh install's defaults: build");
  t.ok(classIsStale('@tapjs/a\n@tapjs/extra', rc, defaults), 'a plugin added once and since taken out of .taprc: build');
  t.ok(classIsStale('@tapjs/a', `${rc}  - "@tapjs/extra"\n`, defaults), 'a plugin .taprc adds: build');
  t.notOk(installedClassIsStale(path.join(__dirname, '..')), 'this tree is built for its .taprc (npm test built it)');
});

t.test("this process was started with .taprc's plugins only, even in a fresh clone's first run", async (t) => {
  // tap gives its test processes the loaders of the Test class it was started with, even when it
  // rebuilds a stale one first; npm test (bin/suite.js) builds it before tap starts. Else every
  // test process of a fresh clone's first run loaded ts-node's loader and the mock plugin (and
  // once crashed with SIGILL).
  for (const left of ['@tapjs/typescript', '@tapjs/mock']) t.notOk(process.execArgv.some((a) => a.includes(left)), `no ${left} in ${process.execArgv.join(' ')}`);
});

t.test("a child of a test process runs without the test runner's process-tracking hooks", async (t) => {
  // tap puts @tapjs/processinfo back into each child's environment at its spawn (0.56 s of CPU
  // more for each sockspec a test starts); bin/ts-import.mjs takes it out again.
  const show = 'console.log(JSON.stringify([process.env.NODE_OPTIONS ?? "", Object.keys(process.env).filter((k) => k.startsWith("_TAPJS_PROCESSINFO_")), process.sourceMapsEnabled]))';
  for (const [how, options] of [['its own environment', {}], ['a copy of it with NODE_OPTIONS of its own', { env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' } }]] as const) {
    const child = spawnSync(process.execPath, ['-e', show], { encoding: 'utf8', ...options });
    const [nodeOptions, tracking, maps] = JSON.parse(child.stdout) as [string, string[], boolean];
    t.notMatch(nodeOptions, '@tapjs/', `${how}: no tap hook in NODE_OPTIONS (${nodeOptions || 'empty'})`);
    t.same(tracking, [], `${how}: none of its tracking variables`);
    t.equal(maps, false, `${how}: so no source maps parsed at each load either`);
  }
});
