// Stall: stop sending after byte k and keep the connection open: the peer must time out, not
// wait forever holding everyone else up.
import fc from 'fast-check';
import { describePlan, truncatePlan } from '../chunk';
import type { Fault } from './types';

export const stall: Fault<number> = {
  name: 'stall',
  description: 'stop sending after byte k of a stream and wait, connection open',
  params: (length) => fc.integer({ min: 0, max: Math.max(0, length - 1) }),
  boundary: () => [0],
  apply: (plan, at) => truncatePlan(plan, at, { kind: 'stall' }),
  describe: (plan, at) => `${describePlan(plan)}: stalled after ${at} bytes`,
};
