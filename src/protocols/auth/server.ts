// Reference auth server. lesson: one attempt per read (the lesson's message boundary), text
// decoded incrementally so a character split across reads waits for its end; malformed
// attempts get status false. framed: one attempt per frame. Success replies and closes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import type { RunningServer, ServerConfig } from '../types';
import type { AuthSettings } from './settings';
import { match } from '../template';
import { finish, serveTcp } from '../kit/serve';
import { FrameDecoder } from '../wire/framing';
import { decodeStrict, endsMidCharacter } from '../../harness/text';
import { encodeReply, greetingBytes, MAX_REQUEST, parseUsers } from './codec';

/** Checks one request against the users file; anything but exactly the template is malformed. */
export function checkLogin(dir: string, text: string, s: AuthSettings): { ok: boolean; msg: string } {
  const m = match(s.authRequest, text);
  if (!m || !m.user) return { ok: false, msg: '格式错误' };
  let users: Map<string, string>;
  try {
    users = parseUsers(readFileSync(path.join(dir, s.authUsersFile), 'utf8'), s.authUsersLine);
  } catch {
    return { ok: false, msg: '用户文件不可用' };
  }
  return users.get(m.user) === m.password ? { ok: true, msg: '登录成功' } : { ok: false, msg: '用户名或密码错误' };
}

export function startAuthServer(cfg: ServerConfig<AuthSettings>): Promise<RunningServer> {
  return serveTcp((sock: net.Socket) => {
    const greeting = greetingBytes(cfg);
    if (greeting.length) sock.write(greeting);
    sock.once('end', () => finish(sock));
    let done = false;
    const attempt = (text: string | null) => {
      if (done) return;
      const r = text === null ? { ok: false, msg: '编码错误：请使用 UTF-8' } : checkLogin(cfg.dir, text, cfg.settings);
      sock.write(encodeReply(cfg, r.ok, r.msg));
      if (r.ok) {
        done = true;
        finish(sock);
      }
    };
    const decode = (bytes: Buffer): string | null => {
      try {
        return decodeStrict(bytes);
      } catch {
        return null;
      }
    };
    if (cfg.profile === 'lesson') {
      let held: Buffer[] = [];
      let heldBytes = 0;
      sock.on('data', (d: Buffer) => {
        held.push(d);
        heldBytes += d.length;
        if (heldBytes > MAX_REQUEST) {
          attempt(null);
          return finish(sock);
        }
        const all = Buffer.concat(held);
        if (endsMidCharacter(all)) return; // a read that ends inside a character: wait for the rest
        held = [];
        heldBytes = 0;
        attempt(decode(all));
      });
      return;
    }
    const frames = new FrameDecoder(MAX_REQUEST);
    sock.on('data', (d: Buffer) => {
      try {
        for (const f of frames.push(d)) attempt(decode(f));
      } catch {
        finish(sock);
      }
    });
  });
}
