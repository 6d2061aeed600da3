import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { Settings } from '../../types';
import { encodeRequest, encodeReply } from '../codec';

export const reset: Clause<'before-request' | 'after-request', Settings> = {
  id: 'hello.reset',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client resets the connection (RST) before sending, or right after its request has been read.',
  expectation: "The server survives the reset (recv raises ConnectionResetError in Python: it must be caught) and serves the next client.",
  arbitrary: () => fc.constantFrom('before-request' as const, 'after-request' as const),
  run: async (ctx, when) => {
    const conn = await ctx.connect();
    if (when === 'after-request') {
      await conn.write(encodeRequest(ctx.profile, Buffer.from('hello')));
      await conn.pace();
      const expected = encodeReply(ctx.profile, ctx.settings).length;
      await conn.waitFor(() => conn.receivedBytes >= expected, ctx.stepMs);
    }
    conn.reset();
    return PASS;
  },
};
