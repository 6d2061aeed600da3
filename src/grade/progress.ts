// grade's progress: one line per submission as it finishes and, on a terminal, a bar kept on
// the last line with the count, the time elapsed and an estimate of the time left.
import type { Messages } from '../harness/report/i18n';

export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/**
 * Time left: the pace so far (submissions graded now per elapsed second; stored ones cost
 * nothing) over what remains. No estimate before the first one finishes.
 */
export function estimateLeft(elapsedMs: number, gradedNow: number, remaining: number): number | undefined {
  if (!gradedNow || !remaining) return remaining ? undefined : 0;
  return (elapsedMs / gradedNow) * remaining;
}

export function bar(done: number, total: number, width = 24): string {
  const full = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

export class Progress {
  private readonly t0 = Date.now();
  private done = 0;
  private gradedNow = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly total: number,
    private readonly msg: Messages,
    private readonly quiet = false,
  ) {
    if (this.out.isTTY && !quiet && total) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
      this.draw();
    }
  }

  /** A submission finished: its line above the bar. */
  finished(line: string, stored: boolean): void {
    this.done++;
    if (!stored) this.gradedNow++;
    this.say(line);
  }

  say(line: string): void {
    if (this.quiet) return;
    this.out.write(this.out.isTTY ? `\r\x1b[K${line}\n` : `${line}\n`);
    if (this.timer) this.draw();
  }

  private draw(): void {
    const elapsed = Date.now() - this.t0;
    const left = estimateLeft(elapsed, this.gradedNow, this.total - this.done);
    this.out.write(`\r\x1b[K${bar(this.done, this.total)} ${this.msg.term.progress(this.done, this.total, clock(elapsed), left === undefined || left === 0 ? '' : clock(left))}`);
  }

  get elapsedMs(): number {
    return Date.now() - this.t0;
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.out.write('\r\x1b[K');
    }
  }
}
