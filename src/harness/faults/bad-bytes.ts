// Bytes that are not valid UTF-8: stray continuation bytes, truncated characters, overlongs,
// surrogates, bytes that never appear in UTF-8.
import fc from 'fast-check';
import { isValidUtf8 } from '../text';
import type { Fault } from './types';

export const badBytes: Fault = {
  name: 'bad-bytes',
  description: 'invalid UTF-8: stray continuation bytes, truncated characters, overlong forms, 0xff',
};

const BAD: Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xe4, 0xbd]), // 你 without its last byte
  Buffer.from([0xc0, 0xaf]), // overlong '/'
  Buffer.from([0xed, 0xa0, 0x80]), // a surrogate
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

/** A message holding at least one invalid sequence, with valid ASCII around it. */
export function invalidUtf8Arb(): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 6 }), fc.constantFrom(...BAD), fc.string({ unit: 'grapheme-ascii', maxLength: 6 }))
    .map(([a, bad, b]) => Buffer.concat([Buffer.from(a), bad, Buffer.from(b)]))
    .filter((b) => !isValidUtf8(b));
}
