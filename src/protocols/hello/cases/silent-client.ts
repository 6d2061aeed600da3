import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { expectServerClose, PASS } from '../../kit/session';
import type { Settings } from '../../types';

export const silentClient: Clause<'half-close' | 'close', Settings> = {
  id: 'hello.silent-client',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client connects and closes without sending anything (recv returns b"" at once).',
  expectation: 'The server may reply or not, but closes that connection without crashing and serves the next client.',
  arbitrary: () => fc.constantFrom('half-close' as const, 'close' as const),
  run: async (ctx, how) => {
    const conn = await ctx.connect();
    if (how === 'close') {
      conn.close();
      return PASS;
    }
    conn.end();
    const bad = await expectServerClose(conn, ctx.stepMs, true, 'after a client that sent nothing');
    conn.close();
    return bad ?? PASS;
  },
};
