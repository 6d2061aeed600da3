// Fragmentation: a stream cut anywhere, down to one byte a segment, each segment paced so the
// peer's recv returns it alone.
import fc from 'fast-check';
import { addCuts, cutsArb, describePlan, everyByte } from '../chunk';
import type { Fault } from './types';

/** Cuts for a stream of `length` bytes: random, or (rarely) one byte at a time. */
export function fragmentArb(length: number, maxCuts = 8): fc.Arbitrary<number[]> {
  return fc.oneof({ weight: 9, arbitrary: cutsArb(length, maxCuts) }, { weight: 1, arbitrary: fc.constant(everyByte(Math.min(length, 256))) });
}

export const fragment: Fault<number[]> = {
  name: 'fragment',
  description: 'cut a stream into segments at random offsets (down to one byte each), paced so each is read alone',
  appliesTo: (length) => length >= 2,
  params: (length) => fragmentArb(length).filter((c) => c.length > 0),
  boundary: (length) => [everyByte(Math.min(length, 256))],
  apply: (plan, cuts) => addCuts(plan, cuts),
  describe: (plan) => describePlan(plan),
};
