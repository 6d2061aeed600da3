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
      .filter((c) => WEIGHTS[c.level] > 0)
      .map((c) => {
        const max = WEIGHTS[c.level];
        const passed = c.status === 'pass';
        const output = passed ? `passed (${c.runs} runs)` : c.status === 'not-run' ? `not run: ${c.summary}` : `${c.verdict}: ${c.summary}${c.expected ? `\nexpected: ${c.expected}` : ''}${c.observed ? `\nobserved: ${c.observed}` : ''}`;
        return { name: `${r.protocol}/${r.profile} ${c.id} [${c.level}]`, score: passed ? max : 0, max_score: max, output, visibility: 'visible' as const };
      }),
  );
  return { score: tests.reduce((s, t) => s + t.score, 0), max_score: tests.reduce((s, t) => s + t.max_score, 0), tests };
}
