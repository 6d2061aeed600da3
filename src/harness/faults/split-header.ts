// A 4-byte length header cut across segments: one recv(4) returns fewer than 4 bytes.
import fc from 'fast-check';
import { addCuts, describePlan } from '../chunk';
import type { Fault } from './types';

/** Cut points that always include one inside the header at [start, end), plus a few anywhere. */
export function headerCutsArb(start: number, end: number, total: number): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: start + 1, max: end - 1 }), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, total - 1) }), { maxLength: 6 }))
    .map(([h, rest]) => [...new Set([h, ...rest])].filter((c) => c > 0 && c < total).sort((a, b) => a - b));
}

export const splitHeader: Fault<number[]> = {
  name: 'split-header',
  description: 'cut a frame inside its 4-byte length header (and maybe elsewhere), paced so each piece is read alone',
  appliesTo: (_length, hints) => hints.headers.length > 0,
  params: (length, hints) => fc.constantFrom(...hints.headers).chain(([s, e]) => headerCutsArb(s, e, length)),
  // The first header cut after every one of its bytes.
  boundary: (_length, hints) => hints.headers.slice(0, 1).map(([s, e]) => Array.from({ length: e - s - 1 }, (_, i) => s + i + 1)),
  apply: (plan, cuts) => addCuts(plan, cuts),
  describe: (plan) => describePlan(plan),
};
