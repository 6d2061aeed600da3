// fuzz-client on clients a fresh reviewer wrote in styles examples/clients/ does not use, each
// once misjudged: a correct client that takes its time to exit (it hung everywhere after a
// passing polite session), one that waits for Enter before it exits (EOFError), a bot client
// for a variant with an end word, an upload client with a JSON header (lesson, and the framed
// json-header form), and a client that spins on b'' after a slow conversation (it was a hang).
import t from 'tap';
import path from 'node:path';
import { ClientRunner } from '../src/harness/runner/client';
import { ClientTarget } from '../src/harness/targets/client';
import { stopSockDiag } from '../src/harness/sockdiag';
import { findProtocol } from '../src/protocols';
import { settingsFromVariant } from '../src/protocols/variant';
import type { Profile } from '../src/protocols/types';
import { PY } from './helpers';

const ROOT = path.join(__dirname, '..');
process.env.PYTHONDONTWRITEBYTECODE = '1';
t.teardown(stopSockDiag);

async function judge(program: string, file: string, only: string[], variant: Record<string, unknown> = {}, profile: Profile = 'lesson', args = '') {
  const protocol = findProtocol(program)!;
  const target = new ClientTarget({ command: `${PY} properties/fixtures/clients/${file} {port}${args}`, cwd: ROOT });
  const settings = settingsFromVariant(program, variant);
  try {
    const r = await new ClientRunner(protocol, profile, settings, target, { seed: 2, runs: 1, stepMs: 2000, timeLimitMs: 120_000, only, shrinkMs: 1000, stopAtVerdict: true }).run();
    return Object.fromEntries(r.clauses.map((c) => [c.id, `${c.status} ${c.verdict}`]));
  } finally {
    await target.stop();
  }
}

t.test('a correct client that takes 2.5 s to exit passes: its exit counts in its pace', async (t) => {
  const v = await judge('hello', 'slow_exit_hello.py', ['hello.client.conversation', 'hello.client.early-close']);
  t.same(v, { 'hello.client.conversation': 'pass pass', 'hello.client.early-close': 'pass pass' });
});

t.test("a client that waits for Enter before it exits is no crash: the script has spare lines", async (t) => {
  t.same(await judge('hello', 'enter_to_exit_hello.py', ['hello.client.conversation']), { 'hello.client.conversation': 'pass pass' });
});

t.test('a bot client that sends the end word and waits for the close passes', async (t) => {
  t.same(await judge('bot', 'end_word_bot.py', ['bot.client.conversation'], { end_word: 'q' }), { 'bot.client.conversation': 'pass pass' });
});

t.test('an upload client with a JSON header passes, lesson and framed json-header', async (t) => {
  const header = '{"filesize": {size}, "filename": "{name}"}';
  t.same(await judge('upload', 'json_header_upload.py', ['upload.client.conversation', 'upload.client.file'], { header }), { 'upload.client.conversation': 'pass pass', 'upload.client.file': 'pass pass' });
  t.same(await judge('upload', 'json_header_upload.py', ['upload.client.conversation'], { header, framed_form: 'json-header' }, 'framed', ' framed'), { 'upload.client.conversation': 'pass pass' });
});

t.test('a client that spins on b\'\' after a slow conversation is a busy loop, not a hang', async (t) => {
  const v = await judge('bot', 'slow_spinning_bot.py', ['bot.client.conversation']);
  t.equal(v['bot.client.conversation'], 'fail busy-loop');
});
