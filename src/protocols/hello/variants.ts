// Lesson-faithful hello servers: the course's code, line for line, in Python-style TypeScript.
import type { RunningServer, ServerConfig } from '../types';
import type { HelloSettings } from './settings';
import { pyDecode, runPythonStyle, unpackInt32 } from '../kit/python-style';
import { encodeFrame } from '../wire/framing';

/** day20's server: recv(1024), print(decode), sendall(reply), close. */
export function startHelloCourse(cfg: ServerConfig<HelloSettings>): Promise<RunningServer> {
  return runPythonStyle('hello_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      const data = await conn.recv(1024);
      pyDecode(data);
      await conn.sendall(Buffer.from(cfg.settings.helloReply, 'utf8'));
      conn.close();
    }
  });
}

/** The framed version written the course's way: one recv(4) for the header, one recv(n) for the body. */
export function startHelloFramedCourse(cfg: ServerConfig<HelloSettings>): Promise<RunningServer> {
  return runPythonStyle('hello_framed_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      const n = unpackInt32(await conn.recv(4));
      pyDecode(await conn.recv(n));
      await conn.sendall(encodeFrame(cfg.settings.helloReply));
      conn.close();
    }
  });
}
