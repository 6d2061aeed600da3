// Every reference server passes every MUST and ROBUST clause, in both profiles, over random plans.
import t from 'tap';
import { PROTOCOLS, referenceServer } from '../src/protocols';
import { runBuiltin } from './helpers';

for (const protocol of PROTOCOLS) {
  for (const profile of protocol.profiles) {
    t.test(`${protocol.name}-reference passes every MUST and ROBUST clause (${profile})`, async (t) => {
      const r = await runBuiltin(referenceServer(protocol).name, profile);
      t.ok(r.clauses.length > 5, `${r.clauses.length} clauses ran`);
      const applicable = r.clauses.filter((c) => c.status !== 'not-applicable');
      for (const c of applicable) {
        if (c.effectiveLevel === 'ADVISORY') continue;
        t.equal(c.verdict, 'pass', `${c.id} (${c.level}): ${c.summary} ${c.observed ?? ''}`);
      }
      t.equal(applicable.filter((c) => c.status === 'not-run').length, 0, 'no applicable clause was skipped');
      t.ok(r.complete, 'the run is complete: every clause ran its boundary cases');
      t.equal(r.polite?.verdict, 'pass', 'the polite session passed');
    });
  }
}
