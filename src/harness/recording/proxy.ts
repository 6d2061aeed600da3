// The recording proxy: a real client connects to it, it forwards to the real server, and it
// writes every segment as it saw it, both directions, with FIN and RST told apart the way a
// session's own connections tell them. Two endpoints, one per side, each logging what it
// receives: the client's side adopted (server role), the upstream dialled (client role).
import type net from 'node:net';
import { createServer } from 'node:net';
import { Endpoint, type EventLog } from '../endpoint';
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

const TIMING = { readCap: Infinity, connectTimeoutMs: 10_000, paceTimeoutMs: 1000, gapMs: 2 };

export async function startRecorder(o: RecorderOptions): Promise<Recorder> {
  const transcript = new Transcript(Infinity, Infinity); // events are written out at once, never kept
  const writer = new RecordingWriter(o.out, {
    sockspecVersion: o.version,
    protocol: o.protocol,
    profile: o.profile,
    target: `recorded through a proxy to ${o.upstreamHost}:${o.upstreamPort}`,
    createdAt: new Date().toISOString(),
  });
  const log: EventLog = {
    newConn: () => transcript.newConn(),
    add: (conn, dir, kind, bytes) => writer.add(transcript.make(conn, dir, kind, bytes)), // written at once, not kept
  };
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const rec: Recorder = { port: 0, connections: 0, stop: async () => undefined };
  // The other end, once both exist: what one end receives goes out of the other as it came.
  const passOn = (other: () => Endpoint | undefined) => ({
    onData: (d: Buffer) => void other()?.write(d),
    onPeerEnd: (reset: boolean) => (reset ? other()?.reset() : other()?.end()),
  });
  const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (client) => {
    const id = transcript.newConn();
    rec.connections++;
    track(client);
    let near: Endpoint | undefined;
    void Endpoint.open({ ...TIMING, host: o.upstreamHost, port: o.upstreamPort, transcript: log, connId: id, logReceivedOnly: true, ...passOn(() => near) }).then(
      (far) => {
        track(far.socket);
        near = Endpoint.adopt(client, { ...TIMING, transcript: log, connId: id, logReceivedOnly: true, ...passOn(() => far) });
        client.resume();
      },
      () => client.resetAndDestroy(),
    );
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
