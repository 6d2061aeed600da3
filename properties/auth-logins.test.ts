// Login servers that keep their own users (hard-coded, or a users file of md5 hashes): known
// logins given with --login, wrong ones derived from them, the student's users file copied with
// --users-file-from, and learn checking each login. Servers: examples/trust/ (manifest.json).
import t from 'tap';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findProtocol, prepareDirFor } from '../src/protocols';
import { malformedArb, wrongLoginArb } from '../src/protocols/auth/arbitraries';
import { goodLogins } from '../src/protocols/auth/codec';
import { authDefaults, type AuthSettings } from '../src/protocols/auth/settings';
import { describeVariant, settingsFromVariant, variantArgs, variantOf } from '../src/protocols/variant';
import { settingsFromFlags } from '../src/cli';
import { parseFlags } from '../src/cli-args';
import { variantFlagKinds } from '../src/protocols/variant';
import { cliHere, cliInProcess, PY, testTmp } from './helpers';

/** An auth variant's settings (settingsFromVariant knows no protocol's type). */
const authVariantOf = (v: unknown) => settingsFromVariant('auth', v) as AuthSettings;

// Each fuzz run below takes up to a minute on a busy 2-core machine.
t.setTimeout(600_000);

const ROOT = path.join(__dirname, '..');
const TRUST = path.join(ROOT, 'examples', 'trust');
const tmp = testTmp(t, 'auth-logins');

process.env.PYTHONDONTWRITEBYTECODE = '1';
const sockspec = (args: string[]) => cliInProcess(args);

interface TrustExample {
  file: string;
  protocol: string;
  logins?: string[];
  users_file?: string;
}
const manifest = JSON.parse(readFileSync(path.join(TRUST, 'manifest.json'), 'utf8')) as TrustExample[];
const example = (file: string) => manifest.find((e) => e.file === file)!;
const spawnOf = (file: string) => ['--spawn', `${PY} ${path.join(TRUST, file)} {port}`];
const loginFlags = (file: string) => (example(file).logins ?? []).flatMap((l) => ['--login', l]);

interface Results {
  variant: string;
  clauses: { id: string; status: string; effectiveLevel: string; summary: string }[];
}

/** fuzz with a JSON results file; the time limit is generous so the run completes. */
async function fuzz(args: string[], name: string): Promise<{ status: number | null; stdout: string; stderr: string; results: Results }> {
  const json = path.join(tmp, `${name}.json`);
  const r = await sockspec(['fuzz', '--protocol', 'auth', ...args, '--seed', '8', '--runs', '8', '--step-timeout', '1000', '--shrink-time', '2', '--time-limit', '150', '--quiet', '--json', json, '--record-dir', path.join(tmp, 'rec')]);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, results: JSON.parse(readFileSync(json, 'utf8')) as Results };
}

const failingMustOrRobust = (r: Results) => r.clauses.filter((c) => c.status === 'fail' && c.effectiveLevel !== 'ADVISORY').map((c) => `${c.id}: ${c.summary}`);

t.test('a login splits at its first colon, and the variant, its description and its flags carry the logins', async (t) => {
  const s = authVariantOf({ logins: ['alice:won:der:land', 'bob:'] });
  t.same(goodLogins(s), [{ user: 'alice', password: 'won:der:land' }, { user: 'bob', password: '' }]);
  t.same(variantOf('auth', s).logins, ['alice:won:der:land', 'bob:']);
  t.notOk('logins' in variantOf('auth', authDefaults), 'no logins: the variant file has none');
  t.notOk('users_file_from' in variantOf('auth', authDefaults));
  t.match(describeVariant('auth', s), 'logins = ["alice:won:der:land","bob:"]');
  const args = variantArgs('auth', s);
  t.same(args, ['--login', 'alice:won:der:land', '--login', 'bob:']);
  t.same(settingsFromFlags(parseFlags(args, variantFlagKinds()), 'auth'), s, 'the printed flags select the same variant');
});

t.test('--users-file-from: kept as an absolute path, users_file defaults to its name, and the flags reproduce it', async (t) => {
  const file = path.join(tmp, 'users_md5.txt');
  writeFileSync(file, 'carol,06b62ca397ce453d54dbbf2fbb016d1a\n');
  const s = authVariantOf({ logins: ['carol:sunflower7'], users_file_from: path.relative(process.cwd(), file) });
  t.equal(s.authUsersFrom, file);
  t.equal(s.authUsersFile, 'users_md5.txt');
  t.equal(authVariantOf({ logins: ['carol:sunflower7'], users_file_from: file, users_file: 'db.txt' }).authUsersFile, 'db.txt', 'an explicit users_file wins');
  const args = variantArgs('auth', s);
  t.same(args, ['--users-file', 'users_md5.txt', '--login', 'carol:sunflower7', '--users-file-from', file]);
  t.same(settingsFromFlags(parseFlags(args, variantFlagKinds()), 'auth'), s);
});

t.test('wrong and malformed logins are derived from the given ones and are never one of them', async (t) => {
  // A one-character and an empty password have no prefix to try; an empty password is no wrong one for bob.
  const s = authVariantOf({ logins: ['alice:wonderland', 'eve:x', 'bob:'] });
  const good = goodLogins(s);
  const isGood = (u: string, p: string) => good.some((g) => g.user === u && g.password === p);
  const whys = new Set<string>();
  fc.assert(
    fc.property(wrongLoginArb(s), (a) => {
      whys.add(a.why);
      if (a.why === 'unknown user') return !good.some((g) => g.user === a.user);
      return good.some((g) => g.user === a.user) && !isGood(a.user, a.password);
    }),
    { numRuns: 500, seed: 1 },
  );
  t.same([...whys].sort(), ['a prefix of the password', 'an empty password', 'unknown user', 'wrong password']);
  fc.assert(fc.property(malformedArb(s), (m) => ('text' in m ? !good.some((g) => m.text === `${g.user}|${g.password}`) : !isGood(m.user, m.password))), { numRuns: 300, seed: 1 });
});

t.test('the users file: none is written with --login alone, the student\'s is copied with --users-file-from, the original untouched', async (t) => {
  const auth = findProtocol('auth')!;
  const onlyLogins = mkdtempSync(path.join(tmp, 'sandbox-'));
  prepareDirFor(auth, settingsFromVariant('auth', { logins: ['alice:wonderland'] }))!(onlyLogins);
  t.same(readdirSync(onlyLogins), [], 'no users file');
  const original = path.join(TRUST, 'auth_md5_users.txt');
  const before = { text: readFileSync(original, 'utf8'), mtime: statSync(original).mtimeMs };
  const copied = mkdtempSync(path.join(tmp, 'sandbox-'));
  prepareDirFor(auth, settingsFromVariant('auth', { logins: ['carol:sunflower7'], users_file_from: original }))!(copied);
  t.same(readdirSync(copied), ['auth_md5_users.txt']);
  t.equal(readFileSync(path.join(copied, 'auth_md5_users.txt'), 'utf8'), before.text);
  writeFileSync(path.join(copied, 'auth_md5_users.txt'), 'changed by the server\n');
  t.same({ text: readFileSync(original, 'utf8'), mtime: statSync(original).mtimeMs }, before, 'the original is never written');
});

t.test('bad --login and --users-file-from values: exit 2 and one sentence, no stack trace', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--login', 'alice'], /the login "alice" has no colon \(give a login as USER:PASSWORD/],
    [['--login', ':wonderland'], /the login ":wonderland" has an empty user name/],
    [['--login', 'alice:a', '--login', 'alice:b'], /the user "alice" is given twice/],
    [['--users-file-from', path.join(TRUST, 'auth_md5_users.txt')], /--users-file-from .* needs at least one --login USER:PASSWORD .* may be hashed/],
    [['--login', 'carol:sunflower7', '--users-file-from', path.join(tmp, 'no-such-file.txt')], /cannot read the users file .*no-such-file\.txt .*there is no such file/],
  ];
  // The command line's answers, in this process.
  for (const [args, re] of cases) {
    const r = await cliHere(['fuzz', '--protocol', 'auth', '--builtin', 'auth-reference', ...args]);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, re, args.join(' '));
    t.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
    t.notMatch(r.err, /    at /);
  }
  const other = await cliHere(['fuzz', '--protocol', 'bot', '--builtin', 'bot-reference', '--login', 'a:b']);
  t.equal(other.code, 2);
  t.match(other.err, /--login is not a setting of bot/);
});

// The trust examples' runs, in this process one after the other (side by side, each run's synchronous work would delay the other's timers).
t.test('the trust examples with their own users', async (t) => {
  t.test('auth_hardcoded.py with --login passes every MUST and ROBUST clause', async (t) => {
    const r = await fuzz([...spawnOf('auth_hardcoded.py'), ...loginFlags('auth_hardcoded.py')], 'hardcoded');
    t.ok(r.status === 0 || r.status === 4, `exit 0, or 4 when incomplete (got ${r.status}) ${r.stderr}`);
    t.same(failingMustOrRobust(r.results), []);
    t.match(r.results.variant, /logins = \["mei:jasmine8","bob:builder42"\]/, 'the results name the logins');
  });

  t.test('auth_hardcoded_course.py with --login fails auth.malformed (and logs in fine)', async (t) => {
    const r = await fuzz([...spawnOf('auth_hardcoded_course.py'), ...loginFlags('auth_hardcoded_course.py'), '--clause', 'auth.success', '--clause', 'auth.malformed'], 'hardcoded-course');
    t.equal(r.status, 1, r.stderr);
    const status = Object.fromEntries(r.results.clauses.map((c) => [c.id, c.status]));
    t.equal(status['auth.malformed'], 'fail');
    t.equal(status['auth.success'], 'pass', 'the given logins are the good ones');
  });

  t.test('auth_md5_file.py with --login and --users-file-from passes, and its users file is left as it was', async (t) => {
    const ex = example('auth_md5_file.py');
    const original = path.join(TRUST, ex.users_file!);
    const digest = () => createHash('sha256').update(readFileSync(original)).digest('hex');
    const before = digest();
    const r = await fuzz([...spawnOf(ex.file), ...loginFlags(ex.file), '--users-file-from', original], 'md5');
    t.ok(r.status === 0 || r.status === 4, `exit 0, or 4 when incomplete (got ${r.status}) ${r.stderr}`);
    t.same(failingMustOrRobust(r.results), []);
    t.equal(digest(), before, 'the original users file is unchanged');
  });

  t.test('without --login, a server with hard-coded users fails auth.success, and the finding says to give --login', async (t) => {
    const r = await fuzz([...spawnOf('auth_hardcoded.py'), '--clause', 'auth.success'], 'no-login');
    t.equal(r.status, 1, r.stderr);
    const success = r.results.clauses.find((c) => c.id === 'auth.success')!;
    t.equal(success.status, 'fail');
    t.match(success.summary, /--login USER:PASSWORD/);
  });

  t.test('without --login, a whole run is one root finding at auth.success: the clauses that log in are blocked, none fails', async (t) => {
    const r = await fuzz(spawnOf('auth_hardcoded.py'), 'no-login-all');
    t.equal(r.status, 1, r.stderr);
    t.same(failingMustOrRobust(r.results).map((f) => f.split(':')[0]), ['auth.success']);
    const blocked = r.results.clauses.filter((c) => c.status === 'blocked');
    t.ok(blocked.length >= 8, `${blocked.length} clauses blocked by auth.success`);
    for (const c of blocked) t.match(c.summary, /^blocked by auth\.success: /);
  });

  t.test('learn checks each given login: every one logs in, and the variant it writes has them', async (t) => {
    const out = path.join(tmp, 'learned.json');
    const r = await sockspec(['learn', '--protocol', 'auth', ...spawnOf('auth_hardcoded.py'), ...loginFlags('auth_hardcoded.py'), '--out', out, '--step-timeout', '1000']);
    t.equal(r.status, 0, r.stdout + r.stderr);
    t.match(r.stdout, /learned: the given logins of mei, bob log in/);
    const v = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    t.same(v.logins, ['mei:jasmine8', 'bob:builder42']);
    t.equal(v.success_field, 'status');
  });

  t.test('learn with a wrong login exits 1 and names it', async (t) => {
    const out = path.join(tmp, 'wrong.json');
    const r = await sockspec(['learn', '--protocol', 'auth', ...spawnOf('auth_hardcoded.py'), '--login', 'mei:jasmine8', '--login', 'bob:builder', '--out', out, '--step-timeout', '1000']);
    t.equal(r.status, 1, r.stdout + r.stderr);
    t.match(r.stdout, /^could not log in as bob with the given password: .*\(check --login\)$/m);
    t.notMatch(r.stdout, /could not log in as mei/);
    t.throws(() => statSync(out), 'no variant is written');
    // The first login wrong: success is still learned from the second, and the first is named.
    const first = await sockspec(['learn', '--protocol', 'auth', ...spawnOf('auth_hardcoded.py'), '--login', 'mei:nope', '--login', 'bob:builder42', '--out', out, '--step-timeout', '1000']);
    t.equal(first.status, 1);
    t.match(first.stdout, /^could not log in as mei with the given password/m);
    t.match(first.stdout, /learned: the given login of bob logs in/);
  });
});
