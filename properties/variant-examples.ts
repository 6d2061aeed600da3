// The example servers for course variants (examples/variants/manifest.json): `learn` infers
// each variant, then `fuzz --variant` passes the corrected servers and fails the fragile ones
// for the named clauses. Shared by the course-variants test files (one per group of protocols).
import type { Test } from 'tap';
import { cliInProcess, PY, stepFor } from './helpers';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'examples', 'variants');

interface Example {
  file: string;
  protocol: string;
  profile?: 'lesson' | 'framed';
  /** Flags learn takes as given (what it must not probe: request and header formats, users file). */
  given?: string[];
  variant: Record<string, unknown>;
  fragile: boolean;
  fails?: string[];
}

const examples = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as Example[];

/**
 * Each example's learn and fuzz, in this process (the commands' answers are what is tested, not
 * their process: a node start for each cost a third of a second of CPU or more), one at a time:
 * side by side in one process, each run's synchronous work delays the other's timers.
 */
export function checkExamples(t: Test, protocols: string[], tmp: string): void {
  t.test(`the ${protocols.join(' and ')} variant examples`, async (t) => checkEach(t, protocols, tmp));
}

function checkEach(t: Test, protocols: string[], tmp: string): void {
  for (const ex of examples.filter((e) => protocols.includes(e.protocol))) {
    t.test(`${ex.file}: learn infers the variant, fuzz --variant ${ex.fragile ? 'fails' : 'passes'} it`, async (t) => {
      const spawn = ['--profile', ex.profile ?? 'lesson', '--spawn', `${PY} ${path.join(DIR, ex.file)} {port}`];
      const out = path.join(tmp, `${ex.file}.json`);
      const learned = await cliInProcess(['learn', '--protocol', ex.protocol, ...spawn, ...(ex.given ?? []), '--out', out, '--step-timeout', '1000']);
      t.equal(learned.status, 0, `learn exits 0 ${learned.stdout}${learned.stderr}`);
      t.same(JSON.parse(readFileSync(out, 'utf8')), ex.variant, 'the variant is inferred');
      const json = path.join(tmp, `${ex.file}.results.json`);
      const r = await cliInProcess(['fuzz', '--protocol', ex.protocol, ...spawn, '--variant', out, '--seed', '8', '--runs', '5', '--step-timeout', String(stepFor(ex.fragile)), '--shrink-time', '2', '--quiet', '--json', json, '--record-dir', path.join(tmp, 'rec')]);
      t.equal(r.status, ex.fragile ? 1 : 0, `fuzz exits ${ex.fragile ? 1 : 0} ${r.stderr}`);
      const results = JSON.parse(readFileSync(json, 'utf8')) as { variant: string; clauses: { id: string; status: string; effectiveLevel: string; verdict: string; summary: string }[] };
      for (const id of ex.fails ?? []) t.equal(results.clauses.find((c) => c.id === id)?.status, 'fail', `${id} fails`);
      // On a surprise, say why (a CI log is all there is to go on).
      if (!ex.fragile) for (const c of results.clauses) if (c.effectiveLevel !== 'ADVISORY') t.not(c.status, 'fail', `${c.id} passes${c.status === 'fail' ? ` (${c.verdict}: ${c.summary})` : ''}`);
      t.not(results.variant, "the course's own strings", 'the results name the variant used');
    });
  }
}
