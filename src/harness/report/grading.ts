// Autograder output (the results.json form graders use): a score per clause weighted by
// level, a `tests` array with name, score, max_score and output, and the total.
import type { RunResult } from '../runner/results';
import type { Level } from '../clause';

export const WEIGHTS: Record<Level, number> = { MUST: 3, ROBUST: 2, ADVISORY: 0 };

export interface Grading {
  score: number;
  max_score: number;
  tests: { name: string; score: number; max_score: number; output: string; visibility: 'visible' }[];
}

export function toGrading(runs: RunResult[]): Grading {
  const tests = runs.flatMap((r) =>
    r.clauses
      // A clause that does not apply to the assignment's variant is worth nothing either way.
      .filter((c) => WEIGHTS[c.level] > 0 && c.status !== 'not-applicable')
      .map((c) => {
        const max = WEIGHTS[c.level];
        // A pass cut short before its boundary cases ran earns nothing: it was not tried.
        const passed = c.status === 'pass' && !c.skipped;
        const output =
          c.status === 'fail'
            ? `${c.verdict}: ${c.summary}${c.expected ? `\nexpected: ${c.expected}` : ''}${c.observed ? `\nobserved: ${c.observed}` : ''}${c.hint ? `\nhint: ${c.hint}` : ''}`
            : passed
              ? `passed (${c.runs} runs)`
              : `${c.status === 'pass' ? 'incomplete' : c.status}: ${c.summary}`;
        return { name: `${r.protocol}/${r.profile} ${c.id} [${c.level}]`, score: passed ? max : 0, max_score: max, output, visibility: 'visible' as const };
      }),
  );
  return { score: tests.reduce((s, t) => s + t.score, 0), max_score: tests.reduce((s, t) => s + t.max_score, 0), tests };
}
