import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { Settings } from '../../types';
import { encodeLogin } from '../codec';
import { awaitReply, isObservation, openAuth } from './session';

export const reset: Clause<number, Settings> = {
  id: 'auth.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client resets the connection (RST) after the greeting or after k failed attempts, while the server waits in recv.',
  expectation: 'The server survives (ConnectionResetError caught) and serves the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { conn, bad } = await openAuth(ctx);
    if (bad) return bad;
    for (let n = 1; n <= k; n++) {
      await conn.write(encodeLogin(ctx.profile, 'alice', `wrong${n}`));
      const r = await awaitReply(ctx, conn, n, `after failed attempt ${n}`);
      if (isObservation(r)) return r;
    }
    conn.reset();
    return PASS;
  },
};
