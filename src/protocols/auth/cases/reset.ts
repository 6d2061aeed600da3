import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { openAfterFailures } from '../session';

export const reset: Clause<number, AuthSettings> = {
  id: 'auth.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client resets the connection (RST) after the greeting or after k failed attempts, while the server waits in recv.',
  expectation: 'The server survives (ConnectionResetError caught) and serves the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { conn, bad } = await openAfterFailures(ctx, k);
    if (bad) return bad;
    conn.reset();
    return PASS;
  },
};
