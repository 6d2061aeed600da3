// Runs the sockspec command line on the example servers of one profile.
import t from 'tap';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliChild, cliInProcess, PY, stepFor } from './helpers';

const ROOT = path.join(__dirname, '..');

interface Example {
  file: string;
  protocol: string;
  profile: string;
  fragile: boolean;
  fails?: string[];
}

/**
 * The first example runs as a process of its own, typed in examples/ the way a student types it
 * (the relative path must still resolve there); the others in this process, one at a time (a
 * start of its own cost each a third of a second of CPU or more for the same answer; side by
 * side in one process, each run's synchronous work would delay the other's timers).
 */
export function classifyExamples(profile: string): void {
  const examples = (JSON.parse(readFileSync(path.join(ROOT, 'examples', 'manifest.json'), 'utf8')) as Example[]).filter((e) => e.profile === profile);
  t.test(`every ${profile} example server is classified: corrected ones exit 0, course-style ones exit 1 on the expected clauses`, async (t) => {
    const records = path.join(tmpdir(), `sockspec-cli-rec-${process.pid}`);
    t.teardown(() => rmSync(records, { recursive: true, force: true }));
    t.ok(examples.length >= 3);
    for (const [i, ex] of examples.entries()) {
      t.test(`${ex.file}${i === 0 ? ' (typed in examples/, in a process of its own)' : ''}`, async (t) => {
        const json = path.join(tmpdir(), `sockspec-cli-${process.pid}-${ex.file}.json`);
        const flags = ['--seed', '11', '--runs', '5', '--step-timeout', String(stepFor(ex.fragile)), '--shrink-time', '2', '--quiet', '--json', json, '--record-dir', records];
        const fuzz = (script: string) => ['fuzz', '--protocol', ex.protocol, '--profile', ex.profile, '--spawn', `${i === 0 ? 'python3' : PY} ${script} {port}`, ...flags];
        const r = i === 0 ? await cliChild(fuzz(ex.file), path.join(ROOT, 'examples')) : await cliInProcess(fuzz(`examples/${ex.file}`));
        const results = JSON.parse(readFileSync(json, 'utf8')) as { clauses: { id: string; status: string; effectiveLevel: string; verdict: string; summary: string }[] };
        // On a surprise, say which clauses failed and why (a CI log is all there is to go on).
        const failing = results.clauses.filter((c) => c.status !== 'pass' && c.effectiveLevel !== 'ADVISORY').map((c) => `${c.id} ${c.status} ${c.verdict}: ${c.summary}`);
        t.equal(r.status, ex.fragile ? 1 : 0, `${ex.file} exits ${ex.fragile ? 1 : 0}${r.status === (ex.fragile ? 1 : 0) ? '' : ` ${failing.join('; ')} ${r.stderr}`}`);
        rmSync(json, { force: true });
        for (const id of ex.fails ?? []) t.equal(results.clauses.find((x) => x.id === id)?.status, 'fail', `${ex.file}: ${id} fails`);
      });
    }
  });
}
