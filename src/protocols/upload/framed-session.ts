// Steps of a framed upload session and its oracle: files/<basename> byte-exact for each file.
import type { Observation } from '../../harness/clause';
import { PASS } from '../kit/session';
import { FILES_DIR, safeBasename, type Item } from './codec';
import { bufferBody, type UploadBody } from './body';
import { judgeFile, settledChanges, type UploadCtx } from './session';

/** Every file item must be stored as files/<basename>, equal to its bytes (the last one of a name wins). */
export function judgeFiles(ctx: UploadCtx, items: readonly Item[], what: string): Promise<Observation> {
  const want = new Map<string, UploadBody>();
  for (const it of items) if (it.kind === 'file') want.set(`${FILES_DIR}/${safeBasename(it.name)}`, bufferBody(it.data));
  return judgeBodies(ctx, want, what);
}

/** Each file (by path relative to the working directory) must hold exactly its body. */
export async function judgeBodies(ctx: UploadCtx, want: ReadonlyMap<string, UploadBody>, what: string): Promise<Observation> {
  const changes = await settledChanges(ctx, (cs) => [...want].every(([rel, body]) => cs.some((c) => c.rel === rel && c.size === body.size)));
  for (const [rel, body] of want) {
    const file = changes.find((c) => c.rel === rel);
    if (!file) {
      return { verdict: 'data-loss', summary: `${rel} was not stored (${what})`, expected: `${rel}, ${body.size} bytes`, observed: changes.map((c) => `${c.rel} (${c.size} bytes)`).join('; ') || 'no file created or changed' };
    }
    const bad = await judgeFile(file, body, rel, what);
    if (bad !== PASS) return bad;
  }
  return PASS;
}
