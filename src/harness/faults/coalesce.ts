// Coalescing: several messages (or a header and its body) in one write, without waiting.
import fc from 'fast-check';
import type { Fault } from './types';

export const coalesce: Fault = {
  name: 'coalesce',
  description: 'several messages, or a header and its body, sent in one write without waiting for replies',
};

/** Groups `n` messages into consecutive writes: each number is how many messages one write holds. */
export function groupingArb(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.boolean(), { minLength: Math.max(0, n - 1), maxLength: Math.max(0, n - 1) }).map((joins) => {
    const groups = [1];
    for (const j of joins) {
      if (j) groups[groups.length - 1]++;
      else groups.push(1);
    }
    return groups;
  });
}
