// Course variants: reference servers under other strings, `learn` on example servers written
// for other wordings, `fuzz --variant` on them, and variant files that are refused.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { botDefaults, type BotSettings } from '../src/protocols/bot/settings';
import { helloDefaults, type HelloSettings } from '../src/protocols/hello/settings';
import { cliHere, PY, runBuiltin, testTmp } from './helpers';
import { checkExamples } from './variant-examples';

const tmp = testTmp(t, 'variant-test');

const other: Record<string, HelloSettings | BotSettings> = {
  'hello-reference': { ...helloDefaults, helloReplyHex: '00ff48690a' },
  'bot-reference': { ...botDefaults, botWelcome: null, botReply: 'Hello, {message}!', botEndWord: 'exit' },
};

for (const name of ['bot-reference', 'hello-reference']) {
  for (const profile of ['lesson', 'framed'] as const) {
    t.test(`${name} under another variant passes every MUST and ROBUST clause (${profile})`, async (t) => {
      const r = await runBuiltin(name, profile, {}, other[name]);
      for (const c of r.clauses) if (c.effectiveLevel !== 'ADVISORY') t.equal(c.verdict, 'pass', `${c.id}: ${c.summary} ${c.observed ?? ''}`);
      if (name === 'bot-reference') t.equal(r.clauses.find((c) => c.id === 'bot.end-word')?.status, 'pass', 'the end word is checked');
    });
  }
}

checkExamples(t, ['hello', 'bot'], tmp);

t.test('learn says what it could not infer and which flag sets it', async (t) => {
  const r = await cliHere(['learn', '--protocol', 'bot', '--spawn', `${PY} properties/fixtures/hang_server.py {port}`, '--out', path.join(tmp, 'x.json'), '--step-timeout', '500'], 110_000);
  t.equal(r.code, 1);
  t.match(r.out, /could not infer the reply: .*--reply TEMPLATE/);
});

t.test('bad variant files and flags: exit 2 and one sentence', async (t) => {
  const cases: [string, RegExp][] = [
    ['{"protocol": "bot", "greeting": "hi"}', /unknown field "greeting"/],
    ['{"protocol": "bot", "reply": 7}', /"reply" must be a non-empty template/],
    ['{"protocol": "bot", "reply": "Hi {msg}"}', /unknown placeholder \{msg\}/],
    ['{"protocol": "bot", "welcome": 5}', /"welcome" must be a string or null/],
    ['{"protocol": "hello"}', /is for hello, not bot/],
    ['not json', /not valid JSON/],
  ];
  for (const [text, re] of cases) {
    const f = path.join(tmp, 'variant.json');
    writeFileSync(f, text);
    const r = await cliHere(['fuzz', '--protocol', 'bot', '--builtin', 'bot-reference', '--variant', f]);
    t.equal(r.code, 2, text);
    t.match(r.err, re);
    t.notMatch(r.err, /    at /);
  }
  const hex = path.join(tmp, 'hex.json');
  writeFileSync(hex, '{"protocol": "hello", "reply_hex": "xyz"}');
  const h = await cliHere(['fuzz', '--protocol', 'hello', '--builtin', 'hello-reference', '--variant', hex]);
  t.equal(h.code, 2);
  t.match(h.err, /bytes in hex/);
  const r = await cliHere(['fuzz', '--protocol', 'bot', '--builtin', 'bot-reference', '--reply', 'Hi {name}']);
  t.equal(r.code, 2);
  t.match(r.err, /unknown placeholder \{name\}/);
});
