// The table of faults (like toxiproxy's toxics): `sockspec list` prints it and clauses are
// built from it. Adding a fault is a file and a line here.
import { badBytes } from './bad-bytes';
import { betweenChars } from './between-chars';
import { coalesce } from './coalesce';
import { earlyClose } from './early-close';
import { fragment } from './fragment';
import { halfClose } from './half-close';
import { oversize } from './oversize';
import { reset } from './reset';
import { splitHeader } from './split-header';
import { splitUtf8 } from './split-utf8';
import { stall } from './stall';
import type { Fault } from './types';

export const FAULTS = { fragment, betweenChars, splitUtf8, splitHeader, coalesce, oversize, badBytes, halfClose, earlyClose, reset, stall } as const;

export const FAULT_LIST: readonly Fault[] = Object.values(FAULTS);

/** The parameters a fault takes (what a clause's input holds for it). */
export type ParamsOf<F> = F extends Fault<infer P> ? P : never;

export type { Fault, Hints } from './types';
export { NO_HINTS } from './types';
export { streamOf, messagesStream, type Part } from './hints';
export { fragmentArb } from './fragment';
export { wideTextArb } from './split-utf8';
export { headerCutsArb } from './split-header';
export { oversizeArb, wideText, LESSON_READ_SIZE } from './oversize';
export { joinAt } from './coalesce';
