// The command line's transpile cache (bin/ts-cache.js): the same output as TypeScript's own
// transpiler, read back from the cache the next time, and a new entry once the source changes.
import t from 'tap';
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const { create } = require('../bin/ts-cache.js') as { create: (o: { service: { config: { options: ts.CompilerOptions } } }) => { transpile(input: string, o: { fileName: string }): { outputText: string; sourceMapText?: string } } };
const DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'sockspec-ts');

t.test('cached output equals a fresh transpile, and an edit is never served stale', async (t) => {
  const compilerOptions: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true, esModuleInterop: true };
  const cache = create({ service: { config: { options: compilerOptions } } });
  const fileName = path.join(__dirname, `ts-cache-probe-${process.pid}-${Date.now()}.ts`);
  const source = `export const n: number = ${Date.now()};\n`;
  const entries = () => new Set(existsSync(DIR) ? readdirSync(DIR) : []);
  const before = entries();
  const added = () => [...entries()].filter((e) => !before.has(e));
  t.teardown(() => added().forEach((e) => rmSync(path.join(DIR, e), { force: true })));
  const first = cache.transpile(source, { fileName });
  const fresh = ts.transpileModule(source, { fileName, compilerOptions });
  t.equal(first.outputText, fresh.outputText, 'the same JavaScript');
  t.equal(first.sourceMapText, fresh.sourceMapText, 'the same source map');
  const [entry] = added();
  t.equal(added().length, 1, 'one entry written');
  // Mark the entry: the next start must serve it instead of transpiling again.
  const file = path.join(DIR, entry);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), outputText: 'cached' }));
  t.equal(cache.transpile(source, { fileName }).outputText, 'cached', 'read back from the cache');
  const edited = cache.transpile(source.replace('number', 'any'), { fileName });
  t.equal(edited.outputText, ts.transpileModule(source.replace('number', 'any'), { fileName, compilerOptions }).outputText, 'an edit is transpiled again');
  t.equal(added().length, 2, 'an edit is a new entry');
});
