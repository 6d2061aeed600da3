// In-process TCP servers on an ephemeral port, for the reference servers: a bad client can
// never crash the process, and close() tears down every connection.
import net from 'node:net';
import type { RunningServer, ServerState } from '../types';

/** How long a reference server keeps a connection nobody uses. */
export const IDLE_TIMEOUT_MS = 30_000;

export async function serveTcp(onConnection: (sock: net.Socket) => void): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.setTimeout(IDLE_TIMEOUT_MS, () => sock.destroy());
    try {
      onConnection(sock);
    } catch {
      sock.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const state: ServerState = {};
  return {
    port: (server.address() as net.AddressInfo).port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Ends our side politely and discards whatever the client still sends, so closing never
 * turns into an RST that could destroy replies the client has not read yet.
 */
export function finish(sock: net.Socket): void {
  sock.removeAllListeners('data');
  sock.on('data', () => undefined);
  sock.on('end', () => sock.destroy());
  sock.resume();
  if (!sock.writableEnded) sock.end();
}
