// fast-check generators of login attempts, in the variant's request format. The good logins
// are the users the tester writes, or the known ones given with --login; every wrong or
// malformed attempt is derived from them.
import fc from 'fast-check';
import { isJsonTemplate, literals } from '../template';
import type { AuthSettings } from './settings';
import { goodLogins } from './codec';

/** A good login: a user and its right password. */
export const knownUserArb = (s: AuthSettings) => fc.constantFrom(...goodLogins(s));

/** Characters that separate fields in the request or the users file (never inside a made-up name). */
function separators(s: AuthSettings): string {
  return [...literals(s.authRequest), ...literals(s.authUsersLine)].join('') + ' \t\r\n|,';
}

const plainArb = (s: AuthSettings, maxLength: number) =>
  fc.stringMatching(new RegExp(`^[A-Za-z0-9_.-]{1,${maxLength}}$`)).filter((t) => ![...t].some((c) => separators(s).includes(c)));

/** A wrong attempt: wrong password, unknown user, a prefix of the password, an empty password. */
export function wrongLoginArb(s: AuthSettings): fc.Arbitrary<{ user: string; password: string; why: string }> {
  const logins = goodLogins(s);
  // A given login may have a one-character or an empty password: it has no (non-empty) prefix, or an empty password is its right one.
  const withPrefix = logins.filter((u) => [...u.password].length > 1);
  const withPassword = logins.filter((u) => u.password !== '');
  const arbs: fc.Arbitrary<{ user: string; password: string; why: string }>[] = [
    fc.tuple(knownUserArb(s), plainArb(s, 12)).filter(([u, p]) => p !== u.password).map(([u, p]) => ({ user: u.user, password: p, why: 'wrong password' })),
    plainArb(s, 10).filter((n) => !logins.some((u) => u.user === n)).map((n) => ({ user: n, password: logins[0].password, why: 'unknown user' })),
  ];
  if (withPrefix.length) arbs.push(fc.constantFrom(...withPrefix).map((u) => ({ user: u.user, password: [...u.password].slice(0, -1).join(''), why: 'a prefix of the password' })));
  if (withPassword.length) arbs.push(fc.constantFrom(...withPassword).map((u) => ({ user: u.user, password: '', why: 'an empty password' })));
  return fc.oneof(...arbs);
}

/** A malformed request: either raw text, or a login whose fields hold a separator. Never a valid login. */
export type Malformed = { text: string; why: string } | { user: string; password: string; why: string };

/** Requests that do not fit the template (and that no reading of it could take for a valid login). */
export function malformedArb(s: AuthSettings): fc.Arbitrary<Malformed> {
  if (isJsonTemplate(s.authRequest)) {
    return fc.oneof(
      knownUserArb(s).map((u) => ({ text: `${u.user}|${u.password}`, why: 'a request that is not JSON' })),
      knownUserArb(s).map((u) => ({ text: JSON.stringify({ user: u.user }).slice(0, -1), why: 'JSON cut short' })),
      fc.constantFrom('[]', '"alice"', '42', 'null', '{}').map((text) => ({ text, why: `the JSON ${text} instead of an object with the fields` })),
    );
  }
  const seps = literals(s.authRequest).slice(1, -1).filter((l) => l !== '');
  const [sep] = seps;
  const lineSep = literals(s.authUsersLine).slice(1, -1).find((l) => l !== '' && l.trim() !== '') ?? ',';
  const arbs: fc.Arbitrary<Malformed>[] = [
    knownUserArb(s).map((u) => ({ text: `${u.user}${u.password}`, why: 'no separator' })),
    plainArb(s, 12).map((t) => ({ text: t, why: 'no separator' })),
    knownUserArb(s).map((u) => ({ user: `${u.user}${lineSep}${u.password}`, password: u.password, why: `a '${lineSep}' inside the user name` })),
    knownUserArb(s).map((u) => ({ user: u.user, password: `${u.password}${lineSep}x`, why: `a '${lineSep}' inside the password` })),
  ];
  // A doubled or leading separator is malformed only when the separator is not blank space
  // (`user  password` is a fair login for a server that splits on any run of spaces).
  if (sep !== undefined && sep.trim() !== '') {
    arbs.push(knownUserArb(s).map((u) => ({ text: `${u.user}${sep}${sep}${u.password}`, why: `two '${sep}' in a row` })));
    arbs.push(knownUserArb(s).map((u) => ({ text: `${sep}${u.user}${sep}${u.password}`, why: `a leading '${sep}'` })));
  }
  return fc.oneof(...arbs);
}
