// How the client stops: half-close after the last byte (still reading replies), early close
// at byte k, a real RST at byte k, or a stall (stop sending, keep the connection open).
import fc from 'fast-check';
import type { Fault } from './types';

export type Ending = { kind: 'half-close' } | { kind: 'close-at'; at: number } | { kind: 'reset-at'; at: number } | { kind: 'stall'; at: number };

export const halfClose: Fault = { name: 'half-close', description: 'FIN after the last byte while still reading replies' };
export const earlyClose: Fault = { name: 'early-close', description: 'close the connection after byte k of the session' };
export const reset: Fault = { name: 'reset', description: 'a real RST (SO_LINGER 0) after byte k of the session' };
export const stall: Fault = { name: 'stall', description: 'stop sending after byte k and wait' };

/** An ending that cuts the stream short, somewhere in [0, length). */
export function cutShortArb(length: number, kinds: readonly ('close-at' | 'reset-at')[] = ['close-at', 'reset-at']): fc.Arbitrary<Ending> {
  return fc.record({ kind: fc.constantFrom(...kinds), at: fc.integer({ min: 0, max: Math.max(0, length - 1) }) }) as fc.Arbitrary<Ending>;
}
