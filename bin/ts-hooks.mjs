// Loader hook: a TypeScript file is a CommonJS module (the package is CommonJS), its source the
// cached transpile of ts-register.js; what it requires goes through the CommonJS loader and the
// .ts extension ts-register.js installs there.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const { transpile } = createRequire(import.meta.url)('./ts-register.js');

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  return { format: 'commonjs', source: transpile(readFileSync(file, 'utf8'), file), shortCircuit: true };
}
