import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { Settings } from '../../types';
import { lockstep, openBot } from './session';

export const reset: Clause<number, Settings> = {
  id: 'bot.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client sends k messages in lockstep, then resets the connection (RST) while the server waits in recv.',
  expectation: 'The server survives the reset (ConnectionResetError must be caught), closes that connection and serves the next client.',
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { s, bad } = await openBot(ctx);
    if (bad) return bad;
    const missing = await lockstep(ctx, s, k);
    if (missing) return missing;
    s.conn.reset();
    return PASS;
  },
};
