// Reads recordings as a stream of events; a file that is not one, or is damaged, gets one
// clear sentence (RecordingError), never a stack trace.
import { closeSync, openSync, readSync } from 'node:fs';
import { decodeMultiple } from 'cbor-x';
import { RecordingError } from '../errors';
import type { TranscriptEvent } from '../transcript';
import { FORMAT, MAGIC, SCHEMA, type FileDigest, type RecordedClient, type RecordingHeader } from './schema';

const CHUNK = 1 << 16;

/** Decodes the CBOR items of a file one by one, reading it in chunks. */
function* items(file: string): Generator<unknown> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new RecordingError('ERR_RECORDING_OPEN', `cannot open the recording ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const magic = Buffer.alloc(MAGIC.length);
    if (readSync(fd, magic, 0, MAGIC.length, null) !== MAGIC.length || !magic.equals(MAGIC)) {
      throw new RecordingError('ERR_RECORDING_MAGIC', `${file} is not a sockspec recording (it does not start with the CBOR magic d9 d9 f7)`);
    }
    let pending = Buffer.alloc(0);
    const chunk = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      pending = pending.length ? Buffer.concat([pending, chunk.subarray(0, n)]) : Buffer.from(chunk.subarray(0, n));
      const got: unknown[] = [];
      try {
        decodeMultiple(pending, (v: unknown) => {
          got.push(v);
        });
        pending = Buffer.alloc(0);
      } catch (e) {
        const err = e as { incomplete?: boolean; lastPosition?: number };
        if (!err.incomplete) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: it holds bytes that are not CBOR`);
        pending = pending.subarray(err.lastPosition ?? 0);
      }
      yield* got;
    }
    if (pending.length) throw new RecordingError('ERR_RECORDING_TRUNCATED', `${file} is cut short: its last event is incomplete`);
  } finally {
    closeSync(fd);
  }
}

function checkHeader(file: string, v: unknown): RecordingHeader {
  const h = v as Partial<RecordingHeader> | undefined;
  if (!h || typeof h !== 'object' || h.format !== FORMAT) throw new RecordingError('ERR_RECORDING_MAGIC', `${file} is not a sockspec recording (no sockspec header)`);
  if (h.schema !== SCHEMA) throw new RecordingError('ERR_RECORDING_VERSION', `${file} uses recording schema ${String(h.schema)}, and this sockspec reads schema ${SCHEMA} only`);
  if (typeof h.protocol !== 'string' || (h.profile !== 'lesson' && h.profile !== 'framed')) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: its header has no protocol or profile`);
  if (h.sockspecPlayed !== undefined && h.sockspecPlayed !== 'client' && h.sockspecPlayed !== 'server') throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: its header says sockspec played "${String(h.sockspecPlayed)}", neither client nor server`);
  if (h.sockspecPlayed === 'server') {
    const c = h.client as Partial<RecordedClient> | undefined;
    const files = c?.files;
    const digest = (d: unknown) => !!d && typeof (d as FileDigest).size === 'number' && typeof (d as FileDigest).sha256 === 'string';
    const filesOk = files === undefined || (typeof files === 'object' && files !== null && Object.values(files).every((b) => Buffer.isBuffer(b) || digest(b)));
    if (!c || typeof c !== 'object' || typeof c.stdin !== 'string' || !filesOk) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: it recorded a client under test without its stdin and files`);
    // Replay writes these into the client's folder: a name is a plain file name, never a path.
    const bad = Object.keys(files ?? {}).find((name) => !name || name === '.' || name === '..' || /[/\\\0]/.test(name));
    if (bad !== undefined) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: the client's file ${JSON.stringify(bad)} is not a plain file name`);
  }
  return h as RecordingHeader;
}

const KINDS = new Set(['connect', 'data', 'fin', 'rst', 'close', 'exit']);

function checkEvent(file: string, v: unknown, index: number): TranscriptEvent {
  const e = v as Partial<TranscriptEvent>;
  const ok = e && typeof e === 'object' && Number.isInteger(e.conn) && (e.dir === 'c2s' || e.dir === 's2c') && KINDS.has(e.kind as string) && typeof e.t === 'number' && (e.bytes === undefined || Buffer.isBuffer(e.bytes));
  if (!ok) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: event ${index + 1} is not a valid event`);
  return e as TranscriptEvent;
}

/** The header, then every event, checked; the trailer must close the file. */
export function* readRecording(file: string): Generator<RecordingHeader | TranscriptEvent> {
  let header: RecordingHeader | undefined;
  let count = 0;
  let ended = false;
  for (const v of items(file)) {
    if (ended) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: it goes on after its end marker`);
    if (!header) {
      header = checkHeader(file, v);
      yield header;
      continue;
    }
    if (v && typeof v === 'object' && (v as { end?: unknown }).end === true) {
      if ((v as { events?: unknown }).events !== count) throw new RecordingError('ERR_RECORDING_CORRUPT', `${file} is damaged: it announces ${String((v as { events?: unknown }).events)} events and holds ${count}`);
      ended = true;
      continue;
    }
    yield checkEvent(file, v, count++);
  }
  if (!header) throw new RecordingError('ERR_RECORDING_TRUNCATED', `${file} is cut short: it has no header`);
  if (!ended) throw new RecordingError('ERR_RECORDING_TRUNCATED', `${file} is cut short: its end marker is missing`);
}

export interface Recording {
  header: RecordingHeader;
  events: TranscriptEvent[];
}

/** The whole recording in memory (for show, replay and export of ordinary sessions). */
export function loadRecording(file: string): Recording {
  let header: RecordingHeader | undefined;
  const events: TranscriptEvent[] = [];
  for (const item of readRecording(file)) {
    if (!header) header = item as RecordingHeader;
    else events.push(item as TranscriptEvent);
  }
  return { header: header!, events };
}
