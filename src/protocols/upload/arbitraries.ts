// fast-check generators of files to upload.
import fc from 'fast-check';

/** File contents: empty, small binary, text, or large (up to 1 MiB, one repeated pattern). */
export function payloadArb(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    { weight: 5, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((a) => Buffer.from(a)) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 4097, max: 1 << 20 }), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([n, pat]) => repeat(Buffer.from(pat), n)) },
  );
}

export function repeat(pattern: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += pattern.length) pattern.copy(out, i);
  return out;
}

/** Plain file names a careful client would send. */
export function fileNameArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('a.txt', 'photo.png', 'notes.md', '报告.docx', 'data.bin'),
    fc.stringMatching(/^[a-z0-9_]{1,12}\.(txt|bin|png)$/),
  );
}
