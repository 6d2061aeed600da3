// Lesson-faithful login servers, written the way students write the course's homework.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningServer, ServerConfig } from '../types';
import { authDefaults, type AuthSettings } from './settings';
import { pyDecode, PyError, runPythonStyle } from '../kit/python-style';
import { dumps } from './codec';

// These servers are the course's own homework: its greeting and db.csv, whatever the variant.
const GREETING = authDefaults.authGreeting!;
const USERS_FILE = authDefaults.authUsersFile;

/** `user, pwd = text.split('|')`: ValueError unless there is exactly one '|'. */
function unpackLogin(text: string): [string, string] {
  const parts = text.split('|');
  if (parts.length < 2) throw new PyError(`ValueError: not enough values to unpack (expected 2, got ${parts.length})`);
  if (parts.length > 2) throw new PyError('ValueError: too many values to unpack (expected 2)');
  return [parts[0], parts[1]];
}

function usersFileLines(dir: string): [string, string][] {
  return readFileSync(path.join(dir, USERS_FILE), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [u, p] = l.trim().split(',');
      return [u, p];
    });
}

const ok = Buffer.from(dumps({ status: true, msg: '登录成功' }));
const fail = Buffer.from(dumps({ status: false, msg: '用户名或密码错误' }));

/** The homework as the course's style suggests: one recv = one attempt, strict decode, split('|'). */
export function startAuthCourse(cfg: ServerConfig<AuthSettings>): Promise<RunningServer> {
  return runPythonStyle('auth_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      await conn.sendall(Buffer.from(GREETING));
      for (;;) {
        const data = await conn.recv(1024);
        const [user, pwd] = unpackLogin(pyDecode(data));
        const found = usersFileLines(cfg.dir).some(([u, p]) => u === user && p === pwd);
        if (found) {
          await conn.sendall(ok);
          break;
        }
        await conn.sendall(fail);
      }
      conn.close();
    }
  });
}

/** A common student bug: one reply per line of the users file instead of one per attempt. */
export function startAuthReplyPerLine(cfg: ServerConfig<AuthSettings>): Promise<RunningServer> {
  return runPythonStyle('auth_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      await conn.sendall(Buffer.from(GREETING));
      let done = false;
      while (!done) {
        const data = await conn.recv(1024);
        if (data.length === 0) break;
        const [user, pwd] = unpackLogin(pyDecode(data));
        for (const [u, p] of usersFileLines(cfg.dir)) {
          if (u === user && p === pwd) {
            await conn.sendall(ok);
            done = true;
            break;
          }
          await conn.sendall(fail);
        }
      }
      conn.close();
    }
  });
}
