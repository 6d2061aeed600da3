// Lesson-faithful upload servers, written the way the course writes them.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningServer, ServerConfig } from '../types';
import type { UploadSettings } from './settings';
import { type PyConn, pyDecode, PyError, runPythonStyle, unpackInt32 } from '../kit/python-style';
import { FILES_DIR, LESSON_FILE } from './codec';

/** The inside of Python's repr() of a str: control characters as escapes. */
const pyRepr = (s: string) => s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

/** Python's int(text): surrounding whitespace, a sign and underscores between digits are allowed. */
export function pyInt(text: string): number {
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) throw new PyError(`ValueError: invalid literal for int() with base 10: '${pyRepr(text.slice(0, 40))}'`);
  return Number(text.replace(/[_\s]/g, ''));
}

/** day20's upload server: one client, header from one recv, loop until recv_size == total, exit. */
export function startUploadCourse(cfg: ServerConfig<UploadSettings>): Promise<RunningServer> {
  return runPythonStyle('upload_server.py', async (sock) => {
    const conn = await sock.accept();
    const total = pyInt(pyDecode(await conn.recv(1024)));
    const file = path.join(cfg.dir, LESSON_FILE);
    writeFileSync(file, '');
    let received = 0;
    for (;;) {
      const data = await conn.recv(1024);
      appendFileSync(file, data);
      received += data.length;
      if (received === total) break; // b'' forever after an early close: the loop spins
    }
    conn.close();
  });
}

/** recv until n bytes, the way many students write it: `while len(buf) < n: buf += conn.recv(n - len(buf))`. */
async function recvExact(conn: PyConn, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const chunk = await conn.recv(Math.min(n - have, 65536));
    parts.push(chunk);
    have += chunk.length;
  }
  return Buffer.concat(parts);
}

/** Framed transfer with correct framing but `open(os.path.join('files', file_name), 'wb')`. */
export function startUploadFramedUnsafePath(cfg: ServerConfig<UploadSettings>): Promise<RunningServer> {
  return runPythonStyle('upload_framed_server.py', async (sock) => {
    mkdirSync(path.join(cfg.dir, FILES_DIR), { recursive: true });
    for (;;) {
      const conn = await sock.accept();
      for (;;) {
        const type = (await recvExact(conn, unpackInt32(await recvExact(conn, 4)))).toString('utf8');
        if (type === 'close') break;
        let info: { msg_type?: string; file_name?: string };
        try {
          info = JSON.parse(type) as typeof info;
        } catch {
          throw new PyError('json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)');
        }
        const body = await recvExact(conn, unpackInt32(await recvExact(conn, 4)));
        if (info.msg_type === 'file') writeFileSync(path.resolve(cfg.dir, FILES_DIR, String(info.file_name)), body);
      }
      conn.close();
    }
  });
}
