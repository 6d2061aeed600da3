import type { Clause } from '../../../harness/clause';
import { invalidUtf8Arb } from '../../../harness/faults';
import type { Settings } from '../../types';
import { encodeRequest } from '../codec';
import { sendBadAttempt } from './refuse';

export const invalidUtf8: Clause<Buffer, Settings> = {
  id: 'auth.invalid-utf8',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client sends a login request that is not valid UTF-8.',
  expectation: 'The server answers {"status": false, ...} or closes without crashing, and serves the next client.',
  arbitrary: () => invalidUtf8Arb().map((b) => Buffer.concat([Buffer.from('alice|'), b])),
  run: (ctx, bytes) => sendBadAttempt(ctx, [encodeRequest(ctx.profile, bytes)], 'a request that is not valid UTF-8'),
};
