// Early close: the connection closed (FIN) after byte k, in the middle of a message.
import fc from 'fast-check';
import { describePlan, truncatePlan } from '../chunk';
import type { Fault } from './types';

export const earlyClose: Fault<number> = {
  name: 'early-close',
  description: 'close the connection (FIN) after byte k of a stream, before the rest is sent',
  params: (length) => fc.integer({ min: 0, max: Math.max(0, length - 1) }),
  // Nothing sent, and one byte short of the whole.
  boundary: (length) => [...new Set([0, Math.max(0, length - 1)])],
  apply: (plan, at) => truncatePlan(plan, at, { kind: 'close' }),
  describe: (plan, at) => `${describePlan(plan)}: closed after ${at} bytes`,
};
