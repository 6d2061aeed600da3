// auth's variant: the fields a teacher's version changes, and the checks across them.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../harness/errors';
import { isJsonTemplate } from '../template';
import type { VariantSpec } from '../variant';

/** The facts of auth a course's variant changes; the course's own are authDefaults. */
export interface AuthSettings {
  /** The login server's greeting on connect; null when it sends none. */
  authGreeting: string | null;
  /** A login request: a template over {user} and {password} (text, or JSON). */
  authRequest: string;
  /** The users file the login server reads from its working directory. */
  authUsersFile: string;
  /** One line of the users file: a template over {user} and {password}. */
  authUsersLine: string;
  /**
   * Known good logins as `user:password` (split at the first colon), for a server that keeps
   * its own users: the clauses log in with these and derive every wrong login from them, and
   * the tester writes no users file. Empty: the tester generates users and writes the file.
   */
  authLogins: readonly string[];
  /** The student's own users file (an absolute path), copied into the server's folder as authUsersFile. */
  authUsersFrom: string | null;
  /** JSON replies: the field that tells success, and its value on success. */
  authSuccessField: string;
  authSuccessValue: string | number | boolean | null;
  /** Text replies: a text every success reply contains (null: replies are JSON). */
  authSuccessText: string | null;
}

export const authDefaults: AuthSettings = {
  authGreeting: '欢迎使用xx系统',
  authRequest: '{user}|{password}',
  authUsersFile: 'db.csv',
  authUsersLine: '{user},{password}',
  authLogins: [],
  authUsersFrom: null,
  authSuccessField: 'status',
  authSuccessValue: true,
  authSuccessText: null,
};

export const authVariant: VariantSpec<AuthSettings> = {
  fields: {
    greeting: { setting: 'authGreeting', kind: { type: 'text|null' } },
    request: { setting: 'authRequest', kind: { type: 'template', required: ['user', 'password'] } },
    users_file: { setting: 'authUsersFile', kind: { type: 'file' } },
    users_line: { setting: 'authUsersLine', kind: { type: 'template', required: ['user', 'password'] } },
    success_field: { setting: 'authSuccessField', kind: { type: 'text' } },
    success_value: { setting: 'authSuccessValue', kind: { type: 'scalar' } },
    success_text: { setting: 'authSuccessText', kind: { type: 'text|null' } },
    logins: { setting: 'authLogins', kind: { type: 'logins' }, flag: 'login' },
    users_file_from: { setting: 'authUsersFrom', kind: { type: 'path|null' } },
  },
  check: checkAuth,
  omit: (key, s) =>
    // JSON or text replies, not both; known logins and a copied users file only when given.
    (key.startsWith('success_') && (key === 'success_text') !== (s.authSuccessText !== null)) ||
    (key === 'logins' && !s.authLogins.length) ||
    (key === 'users_file_from' && s.authUsersFrom === null),
};

function checkAuth(where: string, obj: Record<string, unknown>, s: AuthSettings): void {
  if (s.authSuccessText !== null && (obj.success_field !== undefined || obj.success_value !== undefined)) {
    throw new UsageError(`${where}: give either success_text (text replies) or success_field and success_value (JSON replies), not both`);
  }
  if (isJsonTemplate(s.authUsersLine)) throw new UsageError(`${where}: users_line is one line of text, like {user},{password}, not JSON`);
  if (/[\r\n]/.test(s.authUsersLine)) throw new UsageError(`${where}: users_line is one line: it cannot hold a line break`);
  if (s.authUsersFrom !== null) {
    if (!s.authLogins.length) {
      throw new UsageError(`${where}: --users-file-from (users_file_from) needs at least one --login USER:PASSWORD (logins), since the file's passwords may be hashed and sockspec cannot know them`);
    }
    checkReadable(where, s.authUsersFrom);
    // The server reads the file under the name it has in the student's folder, unless told otherwise.
    if (obj.users_file === undefined) s.authUsersFile = path.basename(s.authUsersFrom);
  }
}

/** A users file to copy must be a readable file (it is read again each time a server starts). */
function checkReadable(where: string, file: string): void {
  let reason: string | null = null;
  try {
    accessSync(file, constants.R_OK);
    if (!statSync(file).isFile()) reason = 'it is not a file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(e));
  }
  if (reason) throw new UsageError(`${where}: cannot read the users file ${file} given with --users-file-from (${reason})`);
}
