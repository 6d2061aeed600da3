// Course variants: reference servers under other strings, `learn` on example servers written
// for other wordings, `fuzz --variant` on them, and variant files that are refused.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../src/protocols/types';
import { runBuiltin } from './helpers';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sockspec.js');
const DIR = path.join(ROOT, 'examples', 'variants');
const tmp = mkdtempSync(path.join(tmpdir(), 'sockspec-variant-test-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const sockspec = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 });

const other: Settings = { ...DEFAULT_SETTINGS, helloReplyHex: '00ff48690a', botWelcome: null, botReply: 'Hello, {message}!', botEndWord: 'exit' };

for (const name of ['bot-reference', 'hello-reference']) {
  for (const profile of ['lesson', 'framed'] as const) {
    t.test(`${name} under another variant passes every MUST and ROBUST clause (${profile})`, async (t) => {
      const r = await runBuiltin(name, profile, {}, other);
      for (const c of r.clauses) if (c.effectiveLevel !== 'ADVISORY') t.equal(c.verdict, 'pass', `${c.id}: ${c.summary} ${c.observed ?? ''}`);
      if (name === 'bot-reference') t.equal(r.clauses.find((c) => c.id === 'bot.end-word')?.status, 'pass', 'the end word is checked');
    });
  }
}

const examples = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { file: string; protocol: string; variant: Record<string, unknown>; fragile: boolean; fails?: string[] }[];

t.test('learn infers each example variant, and fuzz --variant classifies the servers', async (t) => {
  for (const ex of examples) {
    const out = path.join(tmp, `${ex.file}.json`);
    const learned = sockspec(['learn', '--protocol', ex.protocol, '--spawn', `python3 ${path.join(DIR, ex.file)} {port}`, '--out', out, '--step-timeout', '1000']);
    t.equal(learned.status, 0, `${ex.file}: learn exits 0 ${learned.stdout}${learned.stderr}`);
    t.same(JSON.parse(readFileSync(out, 'utf8')), ex.variant, `${ex.file}: the variant is inferred`);
    const json = path.join(tmp, `${ex.file}.results.json`);
    const r = sockspec(['fuzz', '--protocol', ex.protocol, '--spawn', `python3 ${path.join(DIR, ex.file)} {port}`, '--variant', out, '--seed', '8', '--runs', '5', '--step-timeout', '1000', '--shrink-time', '2', '--quiet', '--json', json, '--record-dir', path.join(tmp, 'rec')]);
    t.equal(r.status, ex.fragile ? 1 : 0, `${ex.file}: fuzz exits ${ex.fragile ? 1 : 0}`);
    const results = JSON.parse(readFileSync(json, 'utf8')) as { settings: Settings; clauses: { id: string; status: string }[] };
    for (const id of ex.fails ?? []) t.equal(results.clauses.find((c) => c.id === id)?.status, 'fail', `${ex.file}: ${id} fails`);
    t.equal(results.settings.botReply ?? DEFAULT_SETTINGS.botReply, ex.protocol === 'bot' ? ex.variant.reply : DEFAULT_SETTINGS.botReply, 'the results name the variant used');
  }
});

t.test('learn says what it could not infer and which flag sets it', async (t) => {
  const r = sockspec(['learn', '--protocol', 'bot', '--spawn', 'python3 properties/fixtures/hang_server.py {port}', '--out', path.join(tmp, 'x.json'), '--step-timeout', '500']);
  t.equal(r.status, 1);
  t.match(r.stdout, /could not infer the reply: .*--reply TEMPLATE/);
});

t.test('bad variant files and flags: exit 2 and one sentence', async (t) => {
  const cases: [string, RegExp][] = [
    ['{"protocol": "bot", "greeting": "hi"}', /unknown field "greeting"/],
    ['{"protocol": "bot", "reply": 7}', /"reply" must be a string/],
    ['{"protocol": "bot", "reply": "Hi {msg}"}', /unknown placeholder \{msg\}/],
    ['{"protocol": "bot", "welcome": 5}', /"welcome" must be a string or null/],
    ['{"protocol": "hello"}', /is for hello, not bot/],
    ['not json', /not valid JSON/],
  ];
  for (const [text, re] of cases) {
    const f = path.join(tmp, 'variant.json');
    writeFileSync(f, text);
    const r = sockspec(['fuzz', '--protocol', 'bot', '--builtin', 'bot-reference', '--variant', f]);
    t.equal(r.status, 2, text);
    t.match(r.stderr, re);
    t.notMatch(r.stderr, /    at /);
  }
  const hex = path.join(tmp, 'hex.json');
  writeFileSync(hex, '{"protocol": "hello", "reply_hex": "xyz"}');
  const h = sockspec(['fuzz', '--protocol', 'hello', '--builtin', 'hello-reference', '--variant', hex]);
  t.equal(h.status, 2);
  t.match(h.stderr, /bytes in hex/);
  const r = sockspec(['fuzz', '--protocol', 'bot', '--builtin', 'bot-reference', '--reply', 'Hi {name}']);
  t.equal(r.status, 2);
  t.match(r.stderr, /unknown placeholder \{name\}/);
});
