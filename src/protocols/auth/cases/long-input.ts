import type { Clause } from '../../../harness/clause';
import { oversizeArb, wideText } from '../../../harness/faults';
import type { AuthSettings } from '../settings';
import { encodeLogin } from '../codec';
import { sendBadAttempt } from '../refuse';

export const longInput: Clause<number, AuthSettings> = {
  id: 'auth.long-input',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  description: 'A client sends a login request far longer than the 1024-byte recv (a long Chinese user name, so reads end inside characters).',
  expectation: 'The server answers with a failure reply or closes, without crashing, hanging or accepting.',
  arbitrary: () => oversizeArb(1024, 64 * 1024),
  run: (ctx, size) => sendBadAttempt(ctx, [encodeLogin(ctx, wideText(size), 'x')], `a request of about ${size} bytes`),
};
