// A multi-byte UTF-8 character cut across two segments: the course's strict per-recv decode
// raises UnicodeDecodeError on the first half.
import fc from 'fast-check';
import { addCuts, describePlan } from '../chunk';
import type { Fault } from './types';

const WIDE = ['你', '说', '好', '中', '文', 'é', 'ß', '€', '😀', '啥'];

/** A text with at least one multi-byte character (a text split-utf8 applies to), ASCII around it. */
export function wideTextArb(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), fc.constantFrom(...WIDE), fc.string({ unit: 'grapheme-ascii', maxLength: 8 }))
    .map(([a, w, b]) => a + w + b);
}

export const splitUtf8: Fault<number> = {
  name: 'split-utf8',
  description: 'cut a text inside a multi-byte UTF-8 character, paced so each half is read alone',
  appliesTo: (_length, hints) => hints.insideChars.length > 0,
  params: (_length, hints) => fc.constantFrom(...hints.insideChars),
  boundary: (_length, hints) => hints.insideChars.slice(0, 1),
  apply: (plan, cut) => addCuts(plan, [cut]),
  describe: (plan, cut) => `${describePlan(plan)} (cut inside a character at byte ${cut})`,
};
