// Reference auth client: reads the greeting, tries each login in turn, reading replies as a
// stream of JSON objects, and stops at the first success (the server then closes).
import { Conn } from '../../harness/conn';
import { Transcript } from '../../harness/transcript';
import type { Profile } from '../types';
import { authDefaults, type AuthSettings } from './settings';
import { planOf } from '../../harness/chunk';
import { encodeLogin, type AuthReply } from './codec';
import { readAuth, sendAttempt, type AuthSession } from './session';

export async function authClient(port: number, profile: Profile, attempts: { user: string; password: string }[], timeoutMs = 5000, host = '127.0.0.1', settings: AuthSettings = authDefaults): Promise<AuthReply[]> {
  const conn = await Conn.open({ host, port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: timeoutMs, paceTimeoutMs: 200, gapMs: 5 });
  const w = { profile, settings };
  const session: AuthSession = { conn, attempts: [] };
  const state = () => readAuth(w, session);
  await conn.waitFor(() => state().greeting || !!state().error, timeoutMs);
  for (let i = 0; i < attempts.length; i++) {
    await sendAttempt(session, planOf(encodeLogin(w, attempts[i].user, attempts[i].password)));
    await conn.waitFor(() => state().replies.length > i || !!state().error, timeoutMs);
    const s = state();
    if (s.error) throw new Error(s.error);
    if (s.replies[i]?.status) break;
  }
  conn.end();
  await conn.waitForEnd(timeoutMs);
  conn.close();
  return state().replies;
}
