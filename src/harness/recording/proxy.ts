// The recording proxy: a real client connects to it, it forwards to the real server, and it
// writes every segment as it saw it, both directions, with FIN and RST.
import net from 'node:net';
import { Transcript } from '../transcript';
import { RecordingWriter } from './save';

export interface RecorderOptions {
  listenPort: number;
  upstreamHost: string;
  upstreamPort: number;
  out: string;
  protocol: string;
  profile: 'lesson' | 'framed';
  version: string;
}

export interface Recorder {
  port: number;
  connections: number;
  /** Stops accepting, closes open connections and finishes the file. */
  stop(): Promise<void>;
}

export async function startRecorder(o: RecorderOptions): Promise<Recorder> {
  const transcript = new Transcript(Infinity, Infinity); // events are written out at once, never kept
  const writer = new RecordingWriter(o.out, {
    sockspecVersion: o.version,
    protocol: o.protocol,
    profile: o.profile,
    target: `recorded through a proxy to ${o.upstreamHost}:${o.upstreamPort}`,
    createdAt: new Date().toISOString(),
  });
  const log = (conn: number, dir: 'c2s' | 's2c', kind: 'connect' | 'data' | 'fin' | 'rst', bytes?: Buffer) => {
    writer.add(transcript.make(conn, dir, kind, bytes)); // written at once, not kept
  };
  const sockets = new Set<net.Socket>();
  const rec: Recorder = { port: 0, connections: 0, stop: async () => undefined };
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const id = transcript.newConn();
    rec.connections++;
    const upstream = net.connect({ host: o.upstreamHost, port: o.upstreamPort, allowHalfOpen: true, noDelay: true });
    sockets.add(client).add(upstream);
    log(id, 'c2s', 'connect');
    const pipe = (from: net.Socket, to: net.Socket, dir: 'c2s' | 's2c') => {
      from.on('data', (d: Buffer) => {
        log(id, dir, 'data', d);
        to.write(d);
      });
      from.on('end', () => {
        log(id, dir, 'fin');
        to.end();
      });
      from.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNRESET' || e.code === 'EPIPE') log(id, dir, 'rst');
        if (!to.destroyed) to.resetAndDestroy();
      });
      from.on('close', () => sockets.delete(from));
    };
    pipe(client, upstream, 'c2s');
    pipe(upstream, client, 's2c');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.listenPort, '127.0.0.1', () => resolve());
  });
  rec.port = (server.address() as net.AddressInfo).port;
  rec.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        writer.close();
        resolve();
      });
      for (const s of sockets) s.destroy();
    });
  return rec;
}
