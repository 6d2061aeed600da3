// Remote target: a server someone else runs. Only what crosses the wire can be judged.
import type { Health, Target } from './types';

export class RemoteTarget implements Target {
  readonly kind = 'remote' as const;
  readonly sandbox = undefined;
  readonly restarts = 0;
  constructor(
    readonly host: string,
    readonly port: number,
  ) {}
  get description(): string {
    return `remote ${this.host}:${this.port}`;
  }
  async start(): Promise<void> {}
  async restart(): Promise<void> {}
  async stop(): Promise<void> {}
  health(): Health {
    return {};
  }
  async waitForDeath(): Promise<void> {}
  cpuSeconds(): number | undefined {
    return undefined;
  }
  stderrTail(): string {
    return '';
  }
}
