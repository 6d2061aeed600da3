// Fragmentation: a message cut anywhere, down to one byte a segment, each segment paced so the
// server's recv returns it alone.
import fc from 'fast-check';
import { cutsArb, everyByte } from '../chunk';
import type { Fault } from './types';

export const fragment: Fault = {
  name: 'fragment',
  description: 'cut a message into segments at random offsets (down to one byte each), paced so each is read alone',
};

/** Cuts for a message of `length` bytes: random, or (rarely) one byte at a time. */
export function fragmentArb(length: number, maxCuts = 8): fc.Arbitrary<number[]> {
  return fc.oneof({ weight: 9, arbitrary: cutsArb(length, maxCuts) }, { weight: 1, arbitrary: fc.constant(everyByte(Math.min(length, 256))) });
}
