// Writes recordings event by event (a GiB upload never has to sit in memory).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { TranscriptEvent } from '../transcript';
import { encoder, eventToCbor, FORMAT, MAGIC, SCHEMA, type RecordingHeader } from './schema';


export class RecordingWriter {
  private fd: number;
  private count = 0;
  constructor(
    readonly file: string,
    header: Omit<RecordingHeader, 'format' | 'schema'>,
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = openSync(file, 'w');
    writeSync(this.fd, MAGIC);
    writeSync(this.fd, encoder.encode({ format: FORMAT, schema: SCHEMA, ...header }));
  }
  add(event: TranscriptEvent): void {
    writeSync(this.fd, encoder.encode(eventToCbor(event)));
    this.count++;
  }
  close(): void {
    writeSync(this.fd, encoder.encode({ end: true, events: this.count }));
    closeSync(this.fd);
  }
}

export function saveRecording(file: string, header: Omit<RecordingHeader, 'format' | 'schema'>, events: readonly TranscriptEvent[]): void {
  const w = new RecordingWriter(file, header);
  for (const e of events) w.add(e);
  w.close();
}
