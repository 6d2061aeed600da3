// Reset: a real RST (SO_LINGER 0) after byte k.
import fc from 'fast-check';
import { describePlan, truncatePlan } from '../chunk';
import type { Fault } from './types';

export const reset: Fault<number> = {
  name: 'reset',
  description: 'a real RST (SO_LINGER 0) after byte k of a stream',
  params: (length) => fc.integer({ min: 0, max: Math.max(0, length - 1) }),
  boundary: (length) => [...new Set([0, Math.max(0, length - 1)])],
  apply: (plan, at) => truncatePlan(plan, at, { kind: 'reset' }),
  describe: (plan, at) => `${describePlan(plan)}: reset after ${at} bytes`,
};
