// The recording format (schema 1): a CBOR sequence (RFC 8742) written with portable options
// (plain maps, plain byte strings, no cbor-x record extension):
//   1. the self-described CBOR tag 55799 wrapping the header map (the file's magic: d9 d9 f7);
//   2. one map per event, in order;
//   3. a trailer map {end: true, events: N}; a file without it was cut short.
import { createHash } from 'node:crypto';
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
  /**
   * The side sockspec played: the client (it tested a server: fuzz, and every recording made
   * before client testing, which has no such field) or the server (it tested a client: fuzz-client).
   */
  sockspecPlayed?: 'client' | 'server';
  /** The run's step deadline (ms): a client's replay waits as long for each step, so a slow client is not taken for a hung one. */
  stepMs?: number;
  /** The finding's verdict and summary, when fuzz saved it (replay compares a client's ending with it). */
  verdict?: string;
  summary?: string;
  /** sockspecPlayed 'server': how the client was started, so that replay starts it the same way. */
  client?: RecordedClient;
}

/** A file too large to keep in a recording: replay makes it again from the clause's input and checks it. */
export interface FileDigest {
  size: number;
  sha256: string;
}

/** What a client under test was given: its stdin, and the files written into its folder first (by name). */
export interface RecordedClient {
  stdin: string;
  /** Each file's bytes, or a large one's size and SHA-256 (then `input` makes it again). */
  files?: Record<string, Buffer | FileDigest>;
  /** The clause's input, kept when a file was too large: the clause's script makes the files from it. */
  input?: unknown;
}

/** Files up to this size are kept byte for byte; larger ones (the 16 MiB of an early-ended upload) by digest. */
export const KEEP_FILE_BYTES = 64 << 10;

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** How a client was started, as a recording keeps it: `input` is the clause's, for files kept by digest. */
export function recordedClient(stdin: string, files: Record<string, Buffer> | undefined, input: unknown): RecordedClient {
  const kept: Record<string, Buffer | FileDigest> = {};
  let digests = false;
  for (const [name, bytes] of Object.entries(files ?? {})) {
    if (bytes.length <= KEEP_FILE_BYTES) kept[name] = bytes;
    else {
      kept[name] = { size: bytes.length, sha256: sha256(bytes) };
      digests = true;
    }
  }
  return { stdin, ...(Object.keys(kept).length ? { files: kept } : {}), ...(digests ? { input } : {}) };
}

/** The side sockspec played in a recording (absent: the client, as in every recording before client testing). */
export function playedSide(h: RecordingHeader): 'client' | 'server' {
  return h.sockspecPlayed ?? 'client';
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
