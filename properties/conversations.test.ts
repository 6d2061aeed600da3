// Each reference server holds a real conversation with its reference client over loopback.
import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROFILES } from '../src/protocols/types';
import { authDefaults } from '../src/protocols/auth/settings';
import { botDefaults } from '../src/protocols/bot/settings';
import { helloDefaults } from '../src/protocols/hello/settings';
import { uploadDefaults } from '../src/protocols/upload/settings';
import { startHelloServer } from '../src/protocols/hello/server';
import { helloClient } from '../src/protocols/hello/client';
import { COURSE_REQUESTS } from '../src/protocols/hello/codec';
import { startBotServer } from '../src/protocols/bot/server';
import { botClient } from '../src/protocols/bot/client';
import { startAuthServer } from '../src/protocols/auth/server';
import { authClient } from '../src/protocols/auth/client';
import { USERS, usersFile } from '../src/protocols/auth/codec';
import { startUploadServer } from '../src/protocols/upload/server';
import { uploadFramed, uploadLesson } from '../src/protocols/upload/client';
import { LESSON_FILE } from '../src/protocols/upload/codec';

function workdir(t: Test): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sockspec-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const profile of PROFILES) {
  t.test(`hello ${profile}: both course requests and a custom reply`, async (t) => {
    for (const settings of [helloDefaults, { ...helloDefaults, helloReply: 'Hello, client!' }]) {
      const s = await startHelloServer({ profile, dir: workdir(t), settings });
      for (const req of COURSE_REQUESTS) t.equal((await helloClient(s.port, profile, Buffer.from(req))).toString(), settings.helloReply);
      await s.close();
    }
  });

  t.test(`bot ${profile}: welcome and one reply per message, non-ASCII text`, async (t) => {
    const s = await startBotServer({ profile, dir: workdir(t), settings: botDefaults });
    t.same(await botClient(s.port, profile, ['你好', 'hello', '办理业务 😀']), { welcome: true, replies: 3 });
    t.same(await botClient(s.port, profile, []), { welcome: true, replies: 0 });
    await s.close();
  });

  t.test(`auth ${profile}: success after failures, for a non-ASCII user`, async (t) => {
    const dir = workdir(t);
    writeFileSync(path.join(dir, authDefaults.authUsersFile), usersFile(authDefaults));
    const s = await startAuthServer({ profile, dir, settings: authDefaults });
    const zhang = USERS[1];
    const replies = await authClient(s.port, profile, [
      { user: zhang.user, password: 'wrong' },
      { user: 'nobody', password: zhang.password },
      { user: zhang.user, password: zhang.password },
    ]);
    t.same(replies.map((r) => r.status), [false, false, true]);
    await s.close();
  });

  t.test(`upload ${profile}: 1 MiB binary and an empty file`, async (t) => {
    const dir = workdir(t);
    const s = await startUploadServer({ profile, dir, settings: uploadDefaults });
    const data = randomBytes(1 << 20);
    if (profile === 'lesson') {
      await uploadLesson(s.port, data);
      t.ok(readFileSync(path.join(dir, LESSON_FILE)).equals(data), '1 MiB stored byte-exact');
      await uploadLesson(s.port, Buffer.alloc(0));
      t.equal(statSync(path.join(dir, LESSON_FILE)).size, 0, 'empty upload stored');
    } else {
      await uploadFramed(s.port, [
        { kind: 'msg', text: '你好' },
        { kind: 'file', name: 'big.bin', data },
        { kind: 'file', name: 'empty.txt', data: Buffer.alloc(0) },
        { kind: 'file', name: '../../escape.txt', data: Buffer.from('x') },
      ]);
      t.ok(readFileSync(path.join(dir, 'files', 'big.bin')).equals(data), '1 MiB stored byte-exact');
      t.equal(statSync(path.join(dir, 'files', 'empty.txt')).size, 0, 'empty file stored');
      t.ok(existsSync(path.join(dir, 'files', 'escape.txt')), 'a traversal name is stored under its base name');
      t.notOk(existsSync(path.join(dir, '..', 'escape.txt')), 'nothing written outside files/');
    }
    await s.close();
  });
}

