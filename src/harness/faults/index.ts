// The registry of faults (like toxiproxy's toxics): adding a fault is a file and a line here.
import { badBytes } from './bad-bytes';
import { coalesce } from './coalesce';
import { earlyClose, halfClose, reset, stall } from './ending';
import { fragment } from './fragment';
import { oversize } from './oversize';
import { splitUtf8 } from './split-utf8';
import type { Fault } from './types';

export const FAULTS: readonly Fault[] = [fragment, splitUtf8, coalesce, oversize, halfClose, earlyClose, reset, stall, badBytes];

export type { Fault } from './types';
export { fragmentArb } from './fragment';
export { splitUtf8Arb } from './split-utf8';
export { invalidUtf8Arb } from './bad-bytes';
export { oversizeArb, wideText } from './oversize';
export { cutShortArb } from './ending';
export type { Ending } from './ending';
export { groupingArb } from './coalesce';
