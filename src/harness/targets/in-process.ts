// In-process target: a reference server or lesson-faithful variant on an ephemeral port.
import { Sandbox } from '../sandbox';
import type { Health, Target } from './types';
import type { BuiltinServer, Profile, RunningServer } from '../protocol';

export class InProcessTarget<S = unknown> implements Target {
  readonly kind = 'in-process' as const;
  readonly host = '127.0.0.1';
  sandbox: Sandbox | undefined;
  restarts = 0;
  private server: RunningServer | undefined;

  constructor(
    private readonly builtin: BuiltinServer<S>,
    private readonly profile: Profile,
    private readonly settings: S,
    private readonly prepareDir?: (dir: string) => void,
    private readonly keep = false,
  ) {}

  get description(): string {
    return `built-in ${this.builtin.name} (${this.builtin.description})`;
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  async start(): Promise<void> {
    this.sandbox = new Sandbox({ keep: this.keep });
    this.prepareDir?.(this.sandbox.work);
    this.server = await this.builtin.start({ profile: this.profile, dir: this.sandbox.work, settings: this.settings });
  }

  async restart(counted = true): Promise<void> {
    await this.stop();
    await this.start();
    if (counted) this.restarts++;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
    if (!this.keep) this.sandbox?.remove();
  }

  health(): Health {
    const s = this.server?.state ?? {};
    if (s.crashed) return { crashed: { detail: s.crashed } };
    return { exited: s.exited, spinning: s.spinning };
  }

  async waitForDeath(): Promise<void> {
    // In-process variants die synchronously with the exception that kills them.
  }

  cpuUse(): undefined {
    return undefined;
  }

  stderrTail(): string {
    return this.server?.state.crashed ?? '';
  }
}
