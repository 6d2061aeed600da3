// Course variants of the login and upload assignments: the reference servers under other
// request, reply, users-file and header formats, `learn` and `fuzz --variant` on example
// servers written for them, and variant settings that are refused.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { authDefaults, type AuthSettings } from '../src/protocols/auth/settings';
import { uploadDefaults, type UploadSettings } from '../src/protocols/upload/settings';
import { cliHere, runBuiltin, testTmp } from './helpers';
import { settingsFromVariant } from '../src/protocols/variant';
import { checkExamples } from './variant-examples';

const tmp = testTmp(t, 'variant-test');

const JSON_HEADER = '{"filename": "{name}", "filesize": {size}}';
const variants: [string, AuthSettings | UploadSettings][] = [
  ['auth: whitespace requests, users.txt, text replies', { ...authDefaults, authGreeting: null, authRequest: '{user} {password}', authUsersFile: 'users.txt', authUsersLine: '{user}:{password}', authSuccessText: 'Welcome' }],
  ['auth: JSON requests, a code field', { ...authDefaults, authRequest: '{"username": "{user}", "password": "{password}"}', authSuccessField: 'code', authSuccessValue: 200 }],
  ['upload: JSON header with an acknowledgement', { ...uploadDefaults, uploadHeader: JSON_HEADER, uploadAck: 'ok' }],
  ['upload: framed JSON header then the raw body', { ...uploadDefaults, uploadHeader: JSON_HEADER, uploadFramed: 'json-header' }],
];

for (const [what, settings] of variants) {
  const name = what.startsWith('auth') ? 'auth-reference' : 'upload-reference';
  for (const profile of ['lesson', 'framed'] as const) {
    t.test(`${name} under another variant passes every MUST and ROBUST clause (${what}, ${profile})`, async (t) => {
      const r = await runBuiltin(name, profile, {}, settings);
      for (const c of r.clauses) if (c.effectiveLevel !== 'ADVISORY') t.equal(c.verdict, c.status === 'not-applicable' ? 'not-applicable' : 'pass', `${c.id}: ${c.summary} ${c.observed ?? ''}`);
      t.ok(r.complete, 'the run is complete');
      const ran = r.clauses.filter((c) => c.status !== 'not-applicable').map((c) => c.id);
      if ('uploadFramed' in settings && settings.uploadFramed === 'json-header' && profile === 'framed') t.ok(ran.includes('upload.framed.json-store') && !ran.includes('upload.framed.store'), 'the json-header form replaces the course transfer');
      if (name === 'upload-reference' && profile === 'lesson') t.ok(ran.includes('upload.path-traversal'), 'a header with {name} gets the path traversal clause');
    });
  }
}

t.test('with no variant, the course clauses run as before', async (t) => {
  const r = await runBuiltin('upload-reference', 'framed', {}, uploadDefaults);
  const notRun = r.clauses.filter((c) => c.status === 'not-applicable').map((c) => c.id).sort();
  t.same(notRun, ['upload.framed.json-bad-header', 'upload.framed.json-store', 'upload.path-traversal']);
});

checkExamples(t, ['auth', 'upload'], tmp);

t.test('bad auth and upload variants: exit 2 and one sentence', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['auth', '{"request": "{user}|pwd"}', /request template has no \{password\} placeholder/],
    ['auth', '{"users_line": "{user}"}', /users_line template has no \{password\} placeholder/],
    ['auth', '{"request": "{name}|{password}"}', /unknown placeholder \{name\}/],
    ['auth', '{"users_file": "../db.csv"}', /"users_file" must be a plain file name/],
    ['auth', '{"success_text": "ok", "success_field": "code"}', /either success_text .* or success_field/],
    ['auth', '{"success_value": [1]}', /"success_value" must be a JSON string, number, boolean or null/],
    ['upload', '{"header": "{name}"}', /header template has no \{size\} placeholder/],
    ['upload', '{"framed_form": "json-header"}', /needs a JSON header template/],
    ['upload', '{"framed_form": "zip"}', /"framed_form" must be one of "course", "json-header"/],
    ['upload', '{"ack": 3}', /"ack" must be a string or null/],
  ];
  for (const [protocol, text, re] of cases) t.throws(() => settingsFromVariant(protocol, JSON.parse(text)), re, text);
  // One of them through the command line: exit 2, one sentence, no stack trace.
  const f = path.join(tmp, 'variant.json');
  writeFileSync(f, cases[0][1]);
  const r = await cliHere(['fuzz', '--protocol', 'auth', '--builtin', 'auth-reference', '--variant', f]);
  t.equal(r.code, 2);
  t.match(r.err, cases[0][2]);
  t.notMatch(r.err, /    at /);
  const flag = await cliHere(['fuzz', '--protocol', 'auth', '--builtin', 'auth-reference', '--request', '{user}']);
  t.equal(flag.code, 2);
  t.match(flag.err, /no \{password\} placeholder/);
  const other = await cliHere(['fuzz', '--protocol', 'upload', '--builtin', 'upload-reference', '--greeting', 'hi']);
  t.equal(other.code, 2);
  t.match(other.err, /--greeting is not a setting of upload \(upload takes --header, --ack, --framed-form\)/);
});
