// Chunk plans: how a byte stream is cut into segments. Shrinking removes cuts first.
import fc from 'fast-check';

/** Cuts `bytes` at the given offsets (ascending, strictly inside) into segments. */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of cuts) {
    if (c <= prev || c >= bytes.length) continue;
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/** Sorted, distinct cut points strictly inside a stream of `length` bytes. */
export function normalizeCuts(cuts: readonly number[], length: number): number[] {
  return [...new Set(cuts)].filter((c) => c > 0 && c < length).sort((a, b) => a - b);
}

/** Random cut points for a stream of `length` bytes; shrinks toward no cut at all. */
export function cutsArb(length: number, maxCuts = 8): fc.Arbitrary<number[]> {
  if (length < 2) return fc.constant([]);
  return fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: Math.min(maxCuts, length - 1) }).map((c) => normalizeCuts(c, length));
}

/** Every byte its own segment. */
export function everyByte(length: number): number[] {
  return Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
}

/** Describes a plan in words, for reports: "3 segments: 2+1+5 bytes". */
export function describeCuts(length: number, cuts: readonly number[]): string {
  const sizes: number[] = [];
  let prev = 0;
  for (const c of normalizeCuts(cuts, length)) {
    sizes.push(c - prev);
    prev = c;
  }
  sizes.push(length - prev);
  return sizes.length === 1 ? `1 segment of ${length} bytes` : `${sizes.length} segments: ${sizes.join('+')} bytes`;
}
