// Runs jobs N at a time, never two that hold the same lock at once (a server that hard-codes
// port 8001 cannot share it): a locked job waits while others run, in order otherwise.

export interface PoolJob<T> {
  /** Jobs with the same lock run one after another. */
  lock?: string;
  run(): Promise<T>;
}

export async function runPool<T>(jobs: readonly PoolJob<T>[], concurrency: number, onDone?: (result: T, index: number) => void): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  const pending = jobs.map((_, i) => i);
  const held = new Set<string>();
  let running = 0;
  let failed: unknown;
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (failed !== undefined) return;
      if (!pending.length && !running) return resolve(results);
      while (running < concurrency) {
        const k = pending.findIndex((i) => !jobs[i].lock || !held.has(jobs[i].lock!));
        if (k < 0) break;
        const [i] = pending.splice(k, 1);
        const lock = jobs[i].lock;
        if (lock) held.add(lock);
        running++;
        jobs[i].run().then(
          (r) => {
            results[i] = r;
            running--;
            if (lock) held.delete(lock);
            try {
              onDone?.(r, i);
            } catch (e) {
              failed = e;
              return reject(e);
            }
            pump();
          },
          (e: unknown) => {
            failed = e;
            reject(e);
          },
        );
      }
    };
    pump();
  });
}
