// A stream larger than the 1024-byte read size of lesson programs, in one write: one recv
// cannot take it whole (and a cut at 1024 bytes may land inside a character).
import fc from 'fast-check';
import { describePlan, planBytes, planOf } from '../chunk';
import type { Fault } from './types';

export const LESSON_READ_SIZE = 1024;

/** A size above `readSize`; shrinks toward readSize + 1. */
export function oversizeArb(readSize = LESSON_READ_SIZE, max = 1 << 20): fc.Arbitrary<number> {
  return fc.integer({ min: readSize + 1, max });
}

/** A text of about `size` bytes made of Chinese characters, so a cut at any 1024-byte read lands inside one. */
export function wideText(size: number): string {
  return '你说啥'.repeat(Math.ceil(size / 9)).slice(0, Math.ceil(size / 3));
}

export const oversize: Fault<null> = {
  name: 'oversize',
  description: 'a message larger than the 1024-byte read size of lesson programs (up to MiBs), written at once',
  appliesTo: (length) => length > LESSON_READ_SIZE,
  params: () => fc.constant(null),
  boundary: () => [null],
  apply: (plan) => planOf(planBytes(plan), plan.ending),
  describe: (plan) => `${describePlan(plan)} (more than one ${LESSON_READ_SIZE}-byte read)`,
};
