// Messages larger than the 1024-byte recv of lesson servers, up to MiBs.
import fc from 'fast-check';
import type { Fault } from './types';

export const oversize: Fault = {
  name: 'oversize',
  description: 'a message larger than the 1024-byte read size of lesson servers (up to MiBs)',
};

/** A size above `readSize`; shrinks toward readSize + 1. */
export function oversizeArb(readSize = 1024, max = 1 << 20): fc.Arbitrary<number> {
  return fc.integer({ min: readSize + 1, max });
}

/** A text of about `size` bytes made of Chinese characters, so a cut at any 1024-byte read lands inside one. */
export function wideText(size: number): string {
  return '你说啥'.repeat(Math.ceil(size / 9)).slice(0, Math.ceil(size / 3));
}
