// Half-close: FIN right after the last byte, while still reading the peer's bytes.
import fc from 'fast-check';
import { describePlan } from '../chunk';
import type { Fault } from './types';

export const halfClose: Fault<null> = {
  name: 'half-close',
  description: 'FIN after the last byte while still reading',
  params: () => fc.constant(null),
  boundary: () => [null],
  apply: (plan) => ({ ...plan, ending: { kind: 'half-close' } }),
  describe: (plan) => `${describePlan(plan)}, then a FIN`,
};
