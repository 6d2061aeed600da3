// Remote target: a server someone else runs. Only what crosses the wire can be judged.
import net from 'node:net';
import { TargetError } from '../errors';
import { isLoopback, listeningInodes } from '../proc';
import type { Health, Target } from './types';

export class RemoteTarget implements Target {
  readonly kind = 'remote' as const;
  readonly sandbox = undefined;
  readonly restarts = 0;
  private checked = false;
  constructor(
    readonly host: string,
    readonly port: number,
  ) {}
  get description(): string {
    return `remote ${this.host}:${this.port}`;
  }
  /**
   * Checks once that something listens there. On this machine that is read from the kernel's
   * table, without connecting (a connection is a session a fragile server can die of);
   * elsewhere a connection is opened and closed.
   */
  async start(): Promise<void> {
    if (this.checked) return;
    this.checked = true;
    if (isLoopback(this.host)) {
      if (listeningInodes(this.port).size === 0) throw new TargetError('ERR_UNREACHABLE', `nothing listens on ${this.host}:${this.port}`);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.port, timeout: 5000 });
      s.once('connect', () => {
        s.end();
        resolve();
      });
      s.once('timeout', () => {
        s.destroy();
        reject(new TargetError('ERR_UNREACHABLE', `cannot reach ${this.host}:${this.port} (no answer within 5 s)`));
      });
      s.once('error', (e: NodeJS.ErrnoException) => reject(new TargetError('ERR_UNREACHABLE', `cannot reach ${this.host}:${this.port} (${e.code ?? e.message})`)));
    });
  }
  async restart(): Promise<void> {}
  async stop(): Promise<void> {}
  health(): Health {
    return {};
  }
  async waitForDeath(): Promise<void> {}
  cpuUse(): undefined {
    return undefined;
  }
  stderrTail(): string {
    return '';
  }
}
