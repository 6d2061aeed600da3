// The recording format (schema 1): a CBOR sequence (RFC 8742) written with portable options
// (plain maps, plain byte strings, no cbor-x record extension):
//   1. the self-described CBOR tag 55799 wrapping the header map (the file's magic: d9 d9 f7);
//   2. one map per event, in order;
//   3. a trailer map {end: true, events: N}; a file without it was cut short.
import { Encoder } from 'cbor-x';
import type { TranscriptEvent } from '../transcript';

export const FORMAT = 'sockspec-recording';
export const SCHEMA = 1;
export const MAGIC = Buffer.from([0xd9, 0xd9, 0xf7]);

export interface RecordingHeader {
  format: typeof FORMAT;
  schema: number;
  sockspecVersion: string;
  protocol: string;
  profile: 'lesson' | 'framed';
  /** How the recorded server was reached (for people; replay takes its own target). */
  target: string;
  seed?: number;
  /** fast-check path of the counterexample (with seed and clause: `replay --judge`). */
  path?: string;
  clause?: string;
  createdAt: string;
  /** Course strings in force (the hello reply). */
  settings?: Record<string, unknown>;
}

export interface RecordingTrailer {
  end: true;
  events: number;
}

/** Plain maps and byte strings only, so any CBOR reader can open the file. */
export const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, pack: false, sequential: false });

/** An event as stored: only the fields that are set. */
export function eventToCbor(e: TranscriptEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { conn: e.conn, dir: e.dir, kind: e.kind, t: e.t };
  if (e.bytes) out.bytes = e.bytes;
  if (e.length !== undefined) out.length = e.length;
  if (e.code !== undefined) out.code = e.code;
  if (e.signal !== undefined) out.signal = e.signal;
  return out;
}
