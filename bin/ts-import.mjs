// The ESM side of ts-register.js, for processes whose entry goes through ESM loader hooks (tap's
// test processes, through .taprc's node-arg): a .ts file is CommonJS, transpiled through the
// same cache as the command line's.
import { register, createRequire } from 'node:module';

createRequire(import.meta.url)('./ts-register.js');
register('./ts-hooks.mjs', import.meta.url);

// The test runner hands its process-tracking hooks to every child through NODE_OPTIONS (for
// coverage, which this suite does not collect): each `sockspec` a test starts would load them,
// about a second of CPU per start. Children get the options without them.
if (process.env.NODE_OPTIONS) {
  process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.split(/\s+/).filter((o) => o && !o.includes('@tapjs/')).join(' ');
}
