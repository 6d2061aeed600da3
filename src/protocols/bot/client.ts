// Reference bot client: reads the welcome, sends each message and waits for its reply,
// counting replies by bytes (they may coalesce), then ends the stream.
import { Conn } from '../../harness/conn';
import { Transcript } from '../../harness/transcript';
import type { Profile } from '../types';
import { botDefaults, type BotSettings } from './settings';
import { encodeMessage, readReplies } from './codec';

export async function botClient(port: number, profile: Profile, messages: string[], timeoutMs = 5000, host = '127.0.0.1', settings: BotSettings = botDefaults): Promise<{ welcome: boolean; replies: number }> {
  const conn = await Conn.open({ host, port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: timeoutMs, paceTimeoutMs: 200, gapMs: 5 });
  const sent = messages.map((m) => Buffer.from(m));
  const state = () => readReplies(profile, settings, conn.received, sent);
  await conn.waitFor(() => state().welcome || !state().ok, timeoutMs);
  for (let i = 0; i < messages.length; i++) {
    await conn.write(encodeMessage(profile, Buffer.from(messages[i])));
    await conn.waitFor(() => state().replies > i || !state().ok, timeoutMs);
  }
  conn.end();
  await conn.waitForEnd(timeoutMs);
  conn.close();
  const s = state();
  if (!s.ok) throw new Error(`unexpected bytes from the bot server at offset ${s.mismatchAt}`);
  return { welcome: s.welcome, replies: s.replies };
}
