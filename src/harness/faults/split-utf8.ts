// A multi-byte UTF-8 character cut across two segments: the course's strict per-recv decode
// raises UnicodeDecodeError on the first half.
import fc from 'fast-check';
import type { Fault } from './types';

export const splitUtf8: Fault = {
  name: 'split-utf8',
  description: 'cut a message inside a multi-byte UTF-8 character',
};

const WIDE = ['你', '说', '好', '中', '文', 'é', 'ß', '€', '😀', '啥'];

/** A text with at least one multi-byte character and a cut inside one of them. */
export function splitUtf8Arb(): fc.Arbitrary<{ text: string; cut: number }> {
  return fc
    .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), fc.constantFrom(...WIDE), fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), fc.nat())
    .map(([a, w, b, k]) => {
      const before = Buffer.byteLength(a);
      const width = Buffer.byteLength(w);
      return { text: a + w + b, cut: before + 1 + (k % (width - 1)) };
    });
}
