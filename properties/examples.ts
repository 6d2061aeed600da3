// Runs the sockspec command line on the example servers of one profile.
import t from 'tap';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliChild } from './helpers';

const ROOT = path.join(__dirname, '..');

interface Example {
  file: string;
  protocol: string;
  profile: string;
  fragile: boolean;
  fails?: string[];
}

/** Each example's run mostly waits on its server's deadlines: three at a time. */
export function classifyExamples(profile: string): void {
  const examples = (JSON.parse(readFileSync(path.join(ROOT, 'examples', 'manifest.json'), 'utf8')) as Example[]).filter((e) => e.profile === profile);
  t.test(`every ${profile} example server is classified: corrected ones exit 0, course-style ones exit 1 on the expected clauses`, { jobs: 3 }, async (t) => {
    const records = path.join(tmpdir(), `sockspec-cli-rec-${process.pid}`);
    t.teardown(() => rmSync(records, { recursive: true, force: true }));
    t.ok(examples.length >= 3);
    for (const ex of examples) {
      t.test(ex.file, async (t) => {
        const json = path.join(tmpdir(), `sockspec-cli-${process.pid}-${ex.file}.json`);
        // Run from examples/ the way a student types it: the relative path must still resolve.
        const r = await cliChild(['fuzz', '--protocol', ex.protocol, '--profile', ex.profile, '--spawn', `python3 ${ex.file} {port}`, '--seed', '11', '--runs', '5', '--step-timeout', '1000', '--shrink-time', '2', '--quiet', '--json', json, '--record-dir', records], path.join(ROOT, 'examples'));
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
