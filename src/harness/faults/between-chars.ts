// Fragmentation that keeps every character whole: cuts only between characters, so a peer
// that decodes each read still sees valid UTF-8 (the unframed lesson's in-spec splits).
import fc from 'fast-check';
import { addCuts, describePlan } from '../chunk';
import type { Fault } from './types';

export const betweenChars: Fault<number[]> = {
  name: 'between-chars',
  description: 'cut a text between characters (never inside one), paced so each piece is read alone',
  appliesTo: (_length, hints) => hints.charBoundaries.length > 0,
  params: (_length, hints) => fc.subarray([...hints.charBoundaries], { minLength: 1 }),
  boundary: (_length, hints) => (hints.charBoundaries.length ? [[hints.charBoundaries[0]]] : []),
  apply: (plan, cuts) => addCuts(plan, cuts),
  describe: (plan) => describePlan(plan),
};
