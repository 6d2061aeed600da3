// Reference hello client: sends the request, reads the reply as a stream until the server
// closes (never one read = one reply), then decodes it.
import { Conn } from '../../harness/conn';
import { Transcript } from '../../harness/transcript';
import type { Profile } from '../types';
import { decodeReply, encodeRequest } from './codec';

export async function helloClient(port: number, profile: Profile, request: Buffer, timeoutMs = 5000, host = '127.0.0.1'): Promise<Buffer> {
  const conn = await Conn.open({ host, port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: timeoutMs, paceTimeoutMs: 200, gapMs: 5 });
  await conn.write(encodeRequest(profile, request));
  if (profile === 'framed') await conn.waitFor(() => decodeReply(profile, conn.received).complete, timeoutMs);
  conn.end();
  await conn.waitForEnd(timeoutMs);
  conn.close();
  const { reply, complete } = decodeReply(profile, conn.received);
  if (!complete) throw new Error('the server closed before a whole reply frame arrived');
  return reply;
}
