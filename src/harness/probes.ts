// What a sockspec process learnt of the machine at a cost (whether bubblewrap can confine here,
// whether prlimit is installed, what of /etc only root may read), kept in its environment so
// that the processes it starts (grade's fuzz runs, a test's command lines, npm test's files)
// never ask again: the bwrap probe alone is a namespace made and torn down, about 0.1 s of CPU
// and up to 0.4 s of a loaded machine's time before each command's first session, the walk of
// /etc 60 ms. The Python behind a launcher is handed down the same way, by python.ts
// (SOCKSPEC_PYTHONS).
export const PROBES_ENV = 'SOCKSPEC_PROBES';

let probes: Record<string, unknown> | undefined;

function handedDown(): Record<string, unknown> {
  try {
    const given: unknown = JSON.parse(process.env[PROBES_ENV] ?? '{}');
    return given && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * `probe()`'s answer, asked once per process tree: a parent's answer of the right shape is taken
 * as it is. One that may not last (a probe that timed out on a loaded machine) is not handed down.
 */
export function probedOnce<T>(name: string, valid: (v: unknown) => v is T, probe: () => { value: T; lasting: boolean }): T {
  probes ??= handedDown();
  const given = probes[name];
  if (valid(given)) return given;
  const { value, lasting } = probe();
  if (lasting) {
    probes[name] = value;
    process.env[PROBES_ENV] = JSON.stringify(probes);
  }
  return value;
}
