// Verdicts in plain words, for people reading a terminal or a report.
import type { Verdict } from '../clause';

export const VERDICT_WORDS: Record<Verdict | 'not-run' | 'not-applicable' | 'blocked', string> = {
  pass: 'passed',
  'wrong-answer': 'wrong answer',
  crash: 'the server crashed',
  hang: 'the server hung (no progress within the step time)',
  'busy-loop': 'the server spun at full CPU',
  reset: 'the server reset the connection',
  'data-loss': 'the stored data differs from what was sent',
  escape: 'the server wrote outside its folder',
  'not-serving': 'the next client was not served',
  flood: 'the server sent without end',
  'not-run': 'not run',
  'not-applicable': 'does not apply to this variant',
  blocked: 'blocked by an earlier finding',
};
