// The schedule's cost follows the sessions it judges, not --runs: the boundary cases of every
// clause run within a short limit even when the user asks for a million random sessions.
import t from 'tap';
import { runBuiltin } from './helpers';

t.test('a huge --runs does not starve the boundary cases: the run is still complete', async (t) => {
  const r = await runBuiltin('bot-reference', 'lesson', { runs: 1_000_000, timeLimitMs: 8000 });
  t.ok(r.complete, `complete: ${r.clauses.filter((c) => c.status !== 'pass' && c.level !== 'ADVISORY').map((c) => `${c.id} ${c.status}`).join(', ')}`);
  for (const c of r.clauses) if (c.level !== 'ADVISORY' && c.status !== 'not-applicable') t.equal(c.status, 'pass', `${c.id}: ${c.summary}`);
});
