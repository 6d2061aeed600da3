// Loader hook: a TypeScript file is a CommonJS module (the package is CommonJS), handed to the
// CommonJS loader itself, where ts-register.js's .ts extension transpiles it through the cache.
// No source is returned on purpose: a CommonJS module whose source came from a hook has its
// every require() sent through this hooks thread and back (tap's hundreds of modules, then the
// project's), which cost a test process more than a second of CPU; without one, requires stay
// in the main thread's CommonJS loader. Node's documentation of the asynchronous load hook says
// both (with a source: every require through the hooks, no require.cache); it calls the nullish
// source's behaviour temporary, so a later Node may need module.registerHooks here instead
// (properties/ts-register.test.ts fails if the test file is no longer in require.cache).
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  return { format: 'commonjs', shortCircuit: true };
}
