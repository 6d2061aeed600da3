// fuzz-client on the example clients of one profile (examples/clients/manifest.json): each
// course-faithful client fails the clauses listed for it with the listed verdict, for the
// right reason (its traceback), and its corrected twin passes the same clauses and the polite
// conversation. In-process: the runner and a ClientTarget, as `sockspec fuzz-client` wires them.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ClientRunner } from '../src/harness/runner/client';
import { exitCodeOf } from '../src/harness/runner/results';
import { ClientTarget } from '../src/harness/targets/client';
import { stopSockDiag } from '../src/harness/sockdiag';
import { findProtocol } from '../src/protocols';
import type { Profile } from '../src/protocols/types';
import { PY } from './helpers';

const ROOT = path.join(__dirname, '..');
process.env.PYTHONDONTWRITEBYTECODE = '1';

export interface ExampleClient {
  file: string;
  program: string;
  profile: Profile;
  kind: 'course' | 'fixed';
  expected: 'pass' | 'fail';
  why: string[];
  /** The clauses the pair is judged on, with the verdict the course twin gets. */
  clauses: Record<string, string>;
  fails?: Record<string, string>;
  /** The port it hard-codes (the course's 8001), when it takes none. */
  port?: number;
}

export const exampleClients = (): ExampleClient[] => JSON.parse(readFileSync(path.join(ROOT, 'examples', 'clients', 'manifest.json'), 'utf8')) as ExampleClient[];

export async function fuzzClient(ex: ExampleClient, only: readonly string[], seed = 3) {
  const protocol = findProtocol(ex.program)!;
  const command = `${PY} examples/clients/${ex.file}${ex.port ? '' : ' {port}'}`;
  const target = new ClientTarget({ command, port: ex.port, cwd: ROOT });
  const runner = new ClientRunner(protocol, ex.profile, { ...(protocol.defaults as object) }, target, { seed, runs: 1, stepMs: 2000, timeLimitMs: 240_000, only, shrinkMs: 1000, stopAtVerdict: true });
  try {
    return await runner.run();
  } finally {
    await target.stop();
  }
}

export function classifyClients(profile: Profile): void {
  const clients = exampleClients().filter((c) => c.profile === profile);
  t.teardown(stopSockDiag);
  for (const ex of clients) {
    t.test(`${ex.file}: ${ex.kind === 'course' ? 'fails for the right reason' : 'passes'}`, async (t) => {
      const ids = Object.keys(ex.clauses);
      const r = await fuzzClient(ex, [`${ex.program}.client.conversation`, ...ids]);
      const byId = new Map(r.clauses.map((c) => [c.id, c]));
      const said = (id: string) => `${byId.get(id)?.status} ${byId.get(id)?.verdict}: ${byId.get(id)?.summary}`;
      t.equal(byId.get(`${ex.program}.client.conversation`)?.status, 'pass', `the polite conversation passes (${said(`${ex.program}.client.conversation`)})`);
      t.equal(r.tested, 'client');
      if (ex.kind === 'course') {
        for (const [id, verdict] of Object.entries(ex.fails ?? {})) {
          const c = byId.get(id);
          t.equal(`${c?.status} ${c?.verdict}`, `fail ${verdict}`, `${id}: ${verdict} (${said(id)})`);
          // The right reason: the client's own traceback, quoted in the finding and kept with it.
          if (verdict === 'crash') t.match(c?.stderrTail ?? '', /Traceback \(most recent call last\)/, `${id}: the client's traceback is kept`);
          t.ok(c?.transcript?.length, `${id}: the shrunk session is kept`);
        }
        t.equal(exitCodeOf([r]), 1, 'the run exits 1');
      } else {
        for (const id of ids) t.equal(byId.get(id)?.status, 'pass', `${id} passes (${said(id)})`);
        t.equal(exitCodeOf([r]), 0, 'the run exits 0');
      }
    });
  }
}
