import type { Clause } from '../../../harness/clause';
import type { Settings } from '../../types';
import { malformedArb } from '../arbitraries';
import { encodeRequest } from '../codec';
import { sendBadAttempt } from './refuse';

export const malformed: Clause<{ text: string; why: string }, Settings> = {
  id: 'auth.malformed',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: "A client sends a request that is not `user|password`: no '|', several '|', a ',' inside the user or password (the course's `user, pwd = data.split('|')` raises ValueError).",
  expectation: 'The server answers {"status": false, ...} or closes, never accepts the login, and keeps serving other clients.',
  arbitrary: () => malformedArb(),
  run: (ctx, { text, why }) => sendBadAttempt(ctx, [encodeRequest(ctx.profile, Buffer.from(text))], `a request with ${why}`),
};
