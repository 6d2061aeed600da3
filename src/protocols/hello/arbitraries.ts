// fast-check generators of hello requests.
import fc from 'fast-check';
import { COURSE_REQUESTS } from './codec';

/** A well-formed request: one of the course's, or printable text. */
export function requestArb(): fc.Arbitrary<Buffer> {
  return fc.oneof(fc.constantFrom(...COURSE_REQUESTS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 })).map((s) => Buffer.from(s, 'utf8'));
}
