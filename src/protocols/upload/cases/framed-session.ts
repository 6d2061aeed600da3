// Steps of a framed upload session and its oracle: files/<basename> byte-exact for each file.
import type { Observation } from '../../../harness/clause';
import { sha256File } from '../../../harness/sandbox';
import { PASS } from '../../kit/session';
import { FILES_DIR, safeBasename, type Item } from '../codec';
import { settledChanges, sha256, type UploadCtx } from './session';

/** Every file item must be stored as files/<basename>, equal to its bytes (the last one of a name wins). */
export async function judgeFiles(ctx: UploadCtx, items: readonly Item[], what: string): Promise<Observation> {
  const want = new Map<string, Buffer>();
  for (const it of items) if (it.kind === 'file') want.set(`${FILES_DIR}/${safeBasename(it.name)}`, it.data);
  const changes = await settledChanges(ctx, (cs) => [...want].every(([rel, data]) => cs.some((c) => c.rel === rel && c.size === data.length)));
  for (const [rel, data] of want) {
    const file = changes.find((c) => c.rel === rel);
    if (!file) {
      return { verdict: 'data-loss', summary: `${rel} was not stored (${what})`, expected: `${rel}, ${data.length} bytes`, observed: changes.map((c) => `${c.rel} (${c.size} bytes)`).join('; ') || 'no file created or changed' };
    }
    if (file.size !== data.length || (await sha256File(file.abs)) !== sha256(data)) {
      return { verdict: 'data-loss', summary: `${rel} differs from what was sent (${what})`, expected: `${data.length} bytes`, observed: `${file.size} bytes${file.size === data.length ? ', different content' : ''}` };
    }
  }
  return PASS;
}
