// Reference upload clients. lesson: the size, a wait until the server has read it (the course
// sleeps 2 s), the bytes, close. framed: items, then `close`; waits for the server to close.
import { Conn } from '../../harness/conn';
import { Transcript } from '../../harness/transcript';
import { encodeSession, sizeHeader, type Item } from './codec';

function open(port: number, host: string, timeoutMs: number) {
  return Conn.open({ host, port, transcript: new Transcript(64 * 1024), readCap: 1 << 20, connectTimeoutMs: timeoutMs, paceTimeoutMs: 2000, gapMs: 50 });
}

export async function uploadLesson(port: number, data: Buffer, timeoutMs = 10_000, host = '127.0.0.1'): Promise<void> {
  const conn = await open(port, host, timeoutMs);
  await conn.write(sizeHeader(data.length));
  await conn.pace();
  for (let off = 0; off < data.length; off += 1 << 20) await conn.write(data.subarray(off, off + (1 << 20)));
  conn.end();
  await conn.waitForEnd(timeoutMs);
  conn.close();
}

export async function uploadFramed(port: number, items: Item[], timeoutMs = 10_000, host = '127.0.0.1'): Promise<void> {
  const conn = await open(port, host, timeoutMs);
  await conn.write(encodeSession(items));
  conn.end();
  await conn.waitForEnd(timeoutMs);
  conn.close();
}
