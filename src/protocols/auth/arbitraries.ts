// fast-check generators of login attempts.
import fc from 'fast-check';
import { USERS } from './codec';

export const knownUserArb = () => fc.constantFrom(...USERS);

/** A wrong attempt: wrong password, unknown user, a prefix of the password, an empty password. */
export function wrongLoginArb(): fc.Arbitrary<{ user: string; password: string; why: string }> {
  return fc.oneof(
    fc.tuple(knownUserArb(), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 })).filter(([u, p]) => p !== u.password && !p.includes('|')).map(([u, p]) => ({ user: u.user, password: p, why: 'wrong password' })),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }).filter((n) => !USERS.some((u) => u.user === n) && !/[|,]/.test(n)).map((n) => ({ user: n, password: 'wonderland', why: 'unknown user' })),
    knownUserArb().map((u) => ({ user: u.user, password: [...u.password].slice(0, -1).join(''), why: 'a prefix of the password' })).filter((a) => a.password.length > 0),
    knownUserArb().map((u) => ({ user: u.user, password: '', why: 'an empty password' })),
  );
}

/** Requests that are not `user|password`: no '|', several, a comma inside. Never a valid login. */
export function malformedArb(): fc.Arbitrary<{ text: string; why: string }> {
  return fc.oneof(
    knownUserArb().map((u) => ({ text: `${u.user}${u.password}`, why: "no '|'" })),
    fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).filter((s) => !s.includes('|')).map((s) => ({ text: s, why: "no '|'" })),
    knownUserArb().map((u) => ({ text: `${u.user}||${u.password}`, why: "two '|' in a row" })),
    knownUserArb().map((u) => ({ text: `|${u.user}|${u.password}`, why: "a leading '|'" })),
    knownUserArb().map((u) => ({ text: `${u.user},${u.password}|${u.password}`, why: "a ',' inside the user name" })),
    knownUserArb().map((u) => ({ text: `${u.user}|${u.password},x`, why: "a ',' inside the password" })),
  );
}
