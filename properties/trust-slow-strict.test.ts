// A threaded bot that sleeps 1 s before every reply (examples/trust/): step deadlines follow
// the server, so its strict-decode twin is caught (the corrected one: trust-slow.test.ts).
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sockspec } from './variant-examples';

const tmp = mkdtempSync(path.join(tmpdir(), 'sockspec-trust-slow-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

interface Results {
  complete: boolean;
  stepMs: number;
  polite: { verdict: string; slowestReplyMs: number };
  clauses: { id: string; level: string; status: string; verdict: string; summary: string; runs: number }[];
}

function fuzz(file: string): { status: number | null; out: string; results: Results } {
  const json = path.join(tmp, `${file}.json`);
  // --runs 1: the boundary cases and one random session per clause, the 45 s limit.
  const r = sockspec(['fuzz', '--protocol', 'bot', '--spawn', `python3 examples/trust/${file} {port}`, '--seed', '5', '--runs', '1', '--time-limit', '45', '--shrink-time', '2', '--json', json, '--record-dir', path.join(tmp, 'rec')]);
  return { status: r.status, out: r.stdout + r.stderr, results: JSON.parse(readFileSync(json, 'utf8')) as Results };
}

t.test('its strict-decode twin is caught at bot.split-utf8 within the same limit', async (t) => {
  const { status, out, results } = fuzz('bot_slow_threaded_strict.py');
  t.equal(status, 1, status === 1 ? 'exit 1' : out.slice(-800));
  const split = results.clauses.find((c) => c.id === 'bot.split-utf8')!;
  t.equal(split.status, 'fail', split.summary);
  t.match(out, /UnicodeDecodeError/, "the thread's traceback is shown");
  for (const id of ['bot.welcome', 'bot.reply-per-message', 'bot.eof-closes']) t.equal(results.clauses.find((c) => c.id === id)?.status, 'pass', `${id} passes`);
});
