// A fault: one way TCP (or a careless peer) can deliver bytes, as data (like toxiproxy's
// toxics). Each lives in its own file; `faults/index.ts` is the table `sockspec list` prints
// and clauses are built from. A fault never touches a socket: it turns a write plan into
// another, with parameters drawn from what the codec says about the bytes (`Hints`).
import type fc from 'fast-check';
import type { WritePlan } from '../chunk';

/** What the codec knows about a byte stream, so faults can aim at its weak spots. */
export interface Hints {
  /** Offsets (strictly inside the stream) where one message ends and the next begins. */
  messages: readonly number[];
  /** Framed: the [start, end) byte range of each 4-byte length header. */
  headers: readonly (readonly [number, number])[];
  /** Offsets that fall inside a multi-byte UTF-8 character (a cut there splits it). */
  insideChars: readonly number[];
  /** Offsets between two characters of the text (a cut there splits no character). */
  charBoundaries: readonly number[];
  /** The [start, end) byte range of each text (where invalid bytes make it invalid UTF-8). */
  texts?: readonly (readonly [number, number])[];
}

export const NO_HINTS: Hints = { messages: [], headers: [], insideChars: [], charBoundaries: [], texts: [] };

export interface Fault<P = any> {
  name: string;
  description: string;
  /** Parameters for a stream of `length` bytes; shrinking goes toward the mildest fault. */
  params(length: number, hints: Hints): fc.Arbitrary<P>;
  /** The boundary cases, tried before any random ones (one byte a segment, a cut inside a header...). */
  boundary?(length: number, hints: Hints): P[];
  /** Whether the fault can do anything to such a stream (no character to split, no header...). */
  appliesTo?(length: number, hints: Hints): boolean;
  apply(plan: WritePlan, params: P): WritePlan;
  /** The fault with these parameters, in words for reports ("3 segments: 2+1+5 bytes"). */
  describe(plan: WritePlan, params: P): string;
}
