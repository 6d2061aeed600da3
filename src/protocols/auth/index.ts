// auth (远程用户认证, the homework): greeting, `user|password` attempts, JSON replies.
import { readFileSync, writeFileSync } from 'node:fs';
import { authDefaults, authVariant, type AuthSettings } from './settings';
import { learnAuth } from './learn';
import path from 'node:path';
import { UsageError } from '../../harness/errors';
import type { LessonProtocol } from '../types';
import { framedRobustClauses } from '../kit/framed-clauses';
import { PASS } from '../kit/session';
import { greetingBytes, usersFile } from './codec';
import { startAuthServer } from './server';
import { startAuthCourse, startAuthReplyPerLine } from './variants';
import { greeting } from './cases/greeting';
import { success } from './cases/success';
import { failure } from './cases/failure';
import { retry } from './cases/retry';
import { malformed } from './cases/malformed';
import { splitUtf8 } from './cases/split-utf8';
import { invalidUtf8 } from './cases/invalid-utf8';
import { longInput } from './cases/long-input';
import { reset } from './cases/reset';
import { earlyClose } from './cases/early-close';
import { extraField } from './cases/extra-field';
import { splitHeader } from './cases/split-header';
import { openAuth } from './session';
import { finishWithLogin } from './polite';
import { clientClauses } from '../kit/client-clauses';
import { authPlay } from './client-cases/play';

/** The student's users file (a recording replayed later names it too: it may be gone by then). */
function readUsersFrom(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read the users file ${file} given with --users-file-from (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export const auth: LessonProtocol<AuthSettings> = {
  name: 'auth',
  title: 'login server (远程用户认证): greeting, user|password, JSON replies',
  profiles: ['lesson', 'framed'],
  defaults: authDefaults,
  variant: authVariant,
  learn: learnAuth,
  clientClauses: clientClauses(authPlay),
  clauses: [
    greeting,
    success,
    failure,
    retry,
    malformed,
    splitUtf8,
    invalidUtf8,
    longInput,
    reset,
    earlyClose,
    extraField,
    splitHeader,
    ...framedRobustClauses({ protocol: 'auth', greeting: (settings: AuthSettings) => greetingBytes({ profile: 'framed', settings }) }),
  ],
  builtins: [
    {
      name: 'auth-reference',
      protocol: 'auth',
      profiles: ['lesson', 'framed'],
      faithful: false,
      description: 'reference login server (incremental decoding, strict user|password, db.csv)',
      expectedFailures: {},
      start: startAuthServer,
    },
    {
      name: 'auth-course',
      protocol: 'auth',
      profiles: ['lesson'],
      faithful: true,
      description: "the homework in the course's style: recv(1024) as one attempt, strict decode, user, pwd = split('|')",
      expectedFailures: {
        lesson: { 'auth.malformed': 'crash', 'auth.split-utf8': 'crash', 'auth.invalid-utf8': 'crash', 'auth.reset': 'crash', 'auth.early-close': 'crash', 'auth.extra-field': 'crash' },
      },
      start: startAuthCourse,
    },
    {
      name: 'auth-reply-per-line',
      protocol: 'auth',
      profiles: ['lesson'],
      faithful: true,
      description: 'a login server that answers once per line of db.csv instead of once per attempt',
      expectedFailures: { lesson: { 'auth.success': 'wrong-answer', 'auth.failure': 'wrong-answer', 'auth.retry': 'wrong-answer' } },
      start: startAuthReplyPerLine,
    },
  ],
  prepareDir: (dir, settings) => {
    // The student's own users file is copied, never written through (its original stays as it is);
    // a server that keeps its own users (--login without a file) gets none.
    const file = path.join(dir, settings.authUsersFile);
    if (settings.authUsersFrom !== null) writeFileSync(file, readUsersFrom(settings.authUsersFrom));
    else if (!settings.authLogins.length) writeFileSync(file, usersFile(settings));
  },
  probe: async (ctx) => {
    // A polite session is a successful login: anything less could itself upset a fragile server.
    const { s, bad } = await openAuth(ctx);
    if (bad) {
      s.conn.close();
      return bad;
    }
    return (await finishWithLogin(ctx, s, 1)) ?? PASS;
  },
};
