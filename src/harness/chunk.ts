// Write plans: how a byte stream is cut into segments, paced or not, and how it ends. Faults
// (faults/) transform plans; an endpoint carries one out. Shrinking removes cuts first.
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

/** How a plan's stream ends once its last segment is written. */
export type Ending =
  | { kind: 'open' } // keep the connection open (the session goes on)
  | { kind: 'half-close' } // FIN after the last byte, still reading
  | { kind: 'close' } // FIN and stop reading: an early close when the plan was cut short
  | { kind: 'reset' } // a real RST (SO_LINGER 0)
  | { kind: 'stall' }; // stop sending and wait: the peer must not wait forever

export interface WritePlan {
  /** The bytes, one write each. */
  segments: Buffer[];
  /**
   * Per gap between segments (length segments.length - 1): wait until the peer has read what
   * was sent so it sees the next segment alone (true), or write on at once so they coalesce.
   */
  paced: boolean[];
  ending: Ending;
}

/** A stream written as one segment, left open. */
export function planOf(bytes: Buffer, ending: Ending = { kind: 'open' }): WritePlan {
  return { segments: [bytes], paced: [], ending };
}

/** A stream cut at `cuts`, every gap paced. */
export function plannedCuts(bytes: Buffer, cuts: readonly number[], ending: Ending = { kind: 'open' }): WritePlan {
  const segments = splitAt(bytes, cuts);
  return { segments, paced: segments.slice(1).map(() => true), ending };
}

/** All the plan's bytes. */
export function planBytes(plan: WritePlan): Buffer {
  return Buffer.concat(plan.segments);
}

/** The writes a plan makes: segments whose gap is not paced joined into one (what the peer may see together). */
export function planWrites(plan: WritePlan): Buffer[] {
  const writes: Buffer[][] = [[plan.segments[0] ?? Buffer.alloc(0)]];
  plan.segments.slice(1).forEach((seg, i) => (plan.paced[i] ? writes.push([seg]) : writes[writes.length - 1].push(seg)));
  return writes.map((w) => Buffer.concat(w));
}

/** Offsets where the plan's segments meet (the cuts it makes). */
export function planCuts(plan: WritePlan): number[] {
  const cuts: number[] = [];
  let off = 0;
  for (const s of plan.segments.slice(0, -1)) cuts.push((off += s.length));
  return cuts;
}

/** The plan re-cut: `extra` cuts added (paced), the old gaps keeping their pacing. */
export function addCuts(plan: WritePlan, extra: readonly number[]): WritePlan {
  const bytes = planBytes(plan);
  const old = planCuts(plan);
  const oldPacing = new Map(old.map((c, i) => [c, plan.paced[i]]));
  const cuts = normalizeCuts([...old, ...extra], bytes.length);
  return { segments: splitAt(bytes, cuts), paced: cuts.map((c) => oldPacing.get(c) ?? true), ending: plan.ending };
}

/** The plan cut short after `at` bytes (segments past it dropped, the one across it trimmed). */
export function truncatePlan(plan: WritePlan, at: number, ending: Ending): WritePlan {
  const segments: Buffer[] = [];
  const paced: boolean[] = [];
  let off = 0;
  for (let i = 0; i < plan.segments.length && off < at; i++) {
    const seg = plan.segments[i];
    if (segments.length > 0) paced.push(plan.paced[i - 1]);
    segments.push(seg.subarray(0, Math.min(seg.length, at - off)));
    off += seg.length;
  }
  return { segments: segments.length ? segments : [Buffer.alloc(0)], paced, ending };
}

/** Sizes in words: "3 segments: 2+1+5 bytes" (with "at once" where gaps are not paced). */
export function describePlan(plan: WritePlan): string {
  const length = plan.segments.reduce((n, s) => n + s.length, 0);
  const base = describeCuts(length, planCuts(plan));
  return plan.paced.length > 0 && plan.paced.every((p) => !p) ? `${base}, written at once` : base;
}
