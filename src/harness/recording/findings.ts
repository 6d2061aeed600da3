// Every failing clause of a run saved as a byte-exact recording of its shrunk session.
import path from 'node:path';
import { saveRecording } from './save';
import type { RunResult } from '../runner/results';
import { VERSION } from '../version';

/** Saves each finding's session under `dir` and notes the file on its clause. */
export function saveFindings(result: RunResult, dir: string, settings: unknown): void {
  for (const c of result.clauses.filter((x) => x.status === 'fail' && x.transcript)) {
    const file = path.join(dir, `${result.protocol}-${result.profile}-${c.id}-${c.seed}.cbor`);
    saveRecording(
      file,
      {
        sockspecVersion: VERSION,
        protocol: result.protocol,
        profile: result.profile,
        target: result.target,
        seed: c.seed,
        path: c.path,
        clause: c.id,
        createdAt: new Date().toISOString(),
        settings: { ...(settings as object) },
        sockspecPlayed: (c.tested ?? result.tested) === 'client' ? 'server' : 'client',
        ...(result.stepMs !== undefined ? { stepMs: result.stepMs } : {}),
        verdict: c.verdict,
        summary: c.summary,
        ...(c.client ? { client: c.client } : {}),
      },
      c.transcript!,
    );
    c.recording = file;
  }
}
