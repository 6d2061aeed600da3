import type { Clause } from '../../../harness/clause';
import type { Settings } from '../../types';
import { knownUserArb } from '../arbitraries';
import { encodeRequest } from '../codec';
import { sendBadAttempt } from './refuse';

export const extraField: Clause<{ user: string; password: string }, Settings> = {
  id: 'auth.extra-field',
  level: 'ADVISORY',
  profiles: ['lesson', 'framed'],
  description: 'A client sends the right user and password followed by a third field: `user|password|extra`.',
  expectation: 'The request is refused as malformed. Accepting it is lax rather than a vulnerability (ADVISORY), but crashing on it is a ROBUST failure.',
  arbitrary: () => knownUserArb(),
  run: (ctx, { user, password }) => sendBadAttempt(ctx, [encodeRequest(ctx.profile, Buffer.from(`${user}|${password}|extra`))], 'user|password|extra'),
};
