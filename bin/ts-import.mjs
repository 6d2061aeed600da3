// The ESM side of ts-register.js, for processes whose entry goes through ESM loader hooks (tap's
// test processes, through .taprc's node-arg): a .ts file is CommonJS, transpiled through the
// same cache as the command line's.
import { register, createRequire } from 'node:module';

createRequire(import.meta.url)('./ts-register.js');
register('./ts-hooks.mjs', import.meta.url);

// The test runner hands its process-tracking hooks (@tapjs/processinfo, for coverage, which this
// suite does not collect) to every child: through NODE_OPTIONS, and again at each spawn, through
// a process-on-spawn listener that puts them back into the child's environment whatever it was
// given. Each `sockspec` a test starts then loaded them: 0.56 s more CPU per start (1.03 s
// against 0.47 s for a short fuzz run). Children get the options without them: this process's
// environment, and a listener after the runner's that takes them out of each child's again.
const withoutTap = (options) => options.split(/\s+/).filter((o) => o && !o.includes('@tapjs/')).join(' ');
if (process.env.NODE_OPTIONS) process.env.NODE_OPTIONS = withoutTap(process.env.NODE_OPTIONS);
const onSpawn = globalThis[Symbol.for('process-on-spawn@*:singletonId')];
onSpawn?.listeners?.push((child) => {
  const env = { ...child.env };
  for (const name of Object.keys(env)) if (name.startsWith('_TAPJS_PROCESSINFO_')) delete env[name];
  if (env.NODE_OPTIONS?.includes('@tapjs/')) env.NODE_OPTIONS = withoutTap(env.NODE_OPTIONS);
  child.env = env;
});
