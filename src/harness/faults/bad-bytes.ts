// Bytes that are not valid UTF-8 (stray continuation bytes, truncated characters, overlongs,
// surrogates, bytes that never appear in UTF-8), written over part of a text so every length
// header stays true.
import fc from 'fast-check';
import { describePlan, planBytes, splitAt, planCuts, type WritePlan } from '../chunk';
import type { Fault, Hints } from './types';

const BAD: Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xe4, 0xbd]), // 你 without its last byte
  Buffer.from([0xc0, 0xaf]), // overlong '/'
  Buffer.from([0xed, 0xa0, 0x80]), // a surrogate
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

/** A lead byte and only continuation bytes (a truncated 你; the surrogate too, to be safe): a continuation byte after it could complete a character. */
const completable = (bad: Buffer) => bad[0] >= 0xc2 && bad[0] <= 0xf4 && bad.length === 1 + [...bad.subarray(1)].filter((b) => (b & 0xc0) === 0x80).length;

/**
 * Offsets where BAD[i] can be written inside one text: a character starts there (what comes
 * before stays whole) and, for a completable sequence, one starts (or the text ends) right after
 * it, so it never completes a character it cuts into (e4 bd over the first two bytes of 你 would
 * be 你 again). Without text ranges (hints built by hand): the stream's start and its character
 * boundaries outside headers.
 */
function spots(length: number, hints: Hints, i: number): number[] {
  const width = BAD[i].length;
  const starts = new Set(hints.charBoundaries);
  const texts = hints.texts ?? [[0, length] as const];
  const inHeader = (o: number) => hints.headers.some(([s, e]) => o + width > s && o < e);
  const out: number[] = [];
  for (const [s, e] of texts) {
    const isStart = (o: number) => o === s || starts.has(o);
    for (let o = s; o + width <= e; o++) if (isStart(o) && (!completable(BAD[i]) || o + width === e || isStart(o + width)) && !inHeader(o)) out.push(o);
  }
  return out;
}

/** Which bad sequences fit somewhere in the stream. */
const fitting = (length: number, hints: Hints) => BAD.map((_, i) => i).filter((i) => spots(length, hints, i).length > 0);

export const badBytes: Fault<{ at: number; bad: number }> = {
  name: 'bad-bytes',
  description: 'invalid UTF-8 written over part of a text: stray continuation bytes, truncated characters, overlong forms, 0xff',
  appliesTo: (length, hints) => fitting(length, hints).length > 0,
  params: (length, hints) =>
    fc.constantFrom(...fitting(length, hints)).chain((bad) => fc.record({ at: fc.constantFrom(...spots(length, hints, bad)), bad: fc.constant(bad) })),
  boundary: (length, hints) => spots(length, hints, 0).slice(0, 1).map((at) => ({ at, bad: 0 })),
  apply: (plan: WritePlan, { at, bad }) => {
    const bytes = Buffer.from(planBytes(plan));
    BAD[bad].copy(bytes, at, 0, Math.min(BAD[bad].length, bytes.length - at));
    return { segments: splitAt(bytes, planCuts(plan)), paced: plan.paced, ending: plan.ending };
  },
  describe: (plan, { at, bad }) => `${describePlan(plan)} with invalid UTF-8 (${BAD[bad].toString('hex')}) at byte ${at}`,
};
