// Large uploads: the oracle compares a stored file with the body byte for byte and says where
// they part; a generated body streams through every upload form to the reference server and
// is stored whole; a server that loses part of a large body is caught.
import t from 'tap';
import { truncateSync, writeFileSync, appendFileSync, openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sessionContext } from '../src/harness/runner/context';
import { InProcessTarget } from '../src/harness/targets/in-process';
import { findBuiltin } from '../src/protocols';
import type { BuiltinServer, Profile } from '../src/protocols/types';
import { uploadDefaults, type UploadSettings } from '../src/protocols/upload/settings';
import { pyDecode, runPythonStyle } from '../src/protocols/kit/python-style';
import { bufferBody, firstDifference, patternBody } from '../src/protocols/upload/body';
import { uploadStream } from '../src/protocols/upload/stream';
import { testTmp } from './tmp';

const tmp = testTmp(t, 'stream-test');

t.test('firstDifference finds where a stored file parts from the body', async (t) => {
  const size = 3 * (1 << 20) + 123;
  const body = patternBody(size);
  const whole = Buffer.concat([...body.chunks()]);
  t.equal(whole.length, size);
  t.same(Buffer.concat([...body.chunks()]), whole, 'the same bytes on every call');
  const file = path.join(tmp, 'stored.bin');
  const fresh = () => writeFileSync(file, whole);
  fresh();
  t.equal(await firstDifference(file, body), null, 'equal');
  const flip = (at: number) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([whole[at] ^ 0xff]), 0, 1, at);
    closeSync(fd);
  };
  flip(2 * (1 << 20) + 7);
  t.equal(await firstDifference(file, body), 2 * (1 << 20) + 7, 'a flipped byte in the third chunk');
  fresh();
  truncateSync(file, 1000);
  t.equal(await firstDifference(file, body), 1000, 'cut short');
  fresh();
  appendFileSync(file, 'x');
  t.equal(await firstDifference(file, body), size, 'one byte too many');
  // Every chunk differs from every other: a chunk stored twice or out of order shows in it.
  const MiB = 1 << 20;
  const inSecond = (at: number | null) => at !== null && at >= MiB && at < 2 * MiB;
  writeFileSync(file, Buffer.concat([whole.subarray(0, MiB), whole.subarray(0, MiB), whole.subarray(2 * MiB)]));
  t.ok(inSecond(await firstDifference(file, body)), 'the first chunk stored again in place of the second');
  writeFileSync(file, Buffer.concat([whole.subarray(0, MiB), whole.subarray(2 * MiB, 3 * MiB), whole.subarray(MiB, 2 * MiB), whole.subarray(3 * MiB)]));
  t.ok(inSecond(await firstDifference(file, body)), 'chunks out of order');
  t.equal(await firstDifference(file, bufferBody(readFileSync(file))), null, 'a buffer body');
});

t.test('firstDifference over many small chunks (past its turns of the event loop), an empty body and a missing file', async (t) => {
  const body = patternBody(40 * 4096 + 5, 4096);
  const whole = Buffer.concat([...body.chunks()]);
  const file = path.join(tmp, 'small-chunks.bin');
  writeFileSync(file, whole);
  t.equal(await firstDifference(file, body), null, 'equal over 41 chunks');
  const at = 37 * 4096 + 9; // past the second turn (chunks 16 and 32)
  whole[at] ^= 0xff;
  writeFileSync(file, whole);
  // Queued before the comparison starts: it runs at the comparison's first turn, not after it.
  let ran = false;
  setImmediate(() => (ran = true));
  t.equal(await firstDifference(file, body), at, 'a flipped byte in chunk 37');
  t.ok(ran, 'other work ran between its turns of the event loop');
  writeFileSync(file, '');
  t.equal(await firstDifference(file, patternBody(0)), null, 'an empty file against an empty body');
  t.equal(await firstDifference(file, bufferBody(Buffer.alloc(0))), null, 'and against an empty buffer body');
  await t.rejects(firstDifference(path.join(tmp, 'missing.bin'), body), { code: 'ENOENT' }, 'a missing file rejects (the runner reports it), as before');
});

const JSON_HEADER = '{"filename": "{name}", "filesize": {size}}';
const forms: [string, Profile, UploadSettings][] = [
  ['lesson', 'lesson', uploadDefaults],
  ['lesson, JSON header and acknowledgement', 'lesson', { ...uploadDefaults, uploadHeader: JSON_HEADER, uploadAck: 'ok' }],
  ['framed, the course transfer', 'framed', uploadDefaults],
  ['framed, JSON header then the raw body', 'framed', { ...uploadDefaults, uploadHeader: JSON_HEADER, uploadFramed: 'json-header' }],
];

for (const [what, profile, settings] of forms) {
  t.test(`a 24 MiB body streams to the reference server and is stored whole (${what})`, async (t) => {
    const target = new InProcessTarget(findBuiltin('upload-reference')!, profile, settings);
    await target.start();
    try {
      const seen = await uploadStream(sessionContext(target, profile, settings, { stepMs: 5000 }), patternBody(24 << 20));
      t.equal(seen.verdict, 'pass', `${seen.summary} ${seen.observed ?? ''}`);
    } finally {
      await target.stop();
    }
  });
}

// A mistake seen in student code: the file opened with 'wb' inside the receive loop, so each
// read overwrites the last (a small upload in one read still works).
const reopens: BuiltinServer = {
  name: 'upload-reopens-file',
  protocol: 'upload',
  profiles: ['lesson'],
  faithful: true,
  description: "loop: data = conn.recv(1024); open('xxx.png', 'wb').write(data)",
  expectedFailures: {},
  start: (cfg) =>
    runPythonStyle('upload_reopens.py', async (sock) => {
      for (;;) {
        const conn = await sock.accept();
        const total = Number(pyDecode(await conn.recv(1024)));
        for (let received = 0; received < total; ) {
          const data = await conn.recv(1024);
          if (!data.length) break;
          writeFileSync(path.join(cfg.dir, 'xxx.png'), data);
          received += data.length;
        }
        conn.close();
      }
    }),
};

t.test('a server that keeps only the last read of a large body is caught, and the report says how much is missing', async (t) => {
  const target = new InProcessTarget(reopens, 'lesson', uploadDefaults);
  await target.start();
  try {
    const seen = await uploadStream(sessionContext(target, 'lesson', uploadDefaults, { stepMs: 5000 }), patternBody(2 << 20));
    t.equal(seen.verdict, 'data-loss', seen.summary);
    t.match(seen.observed, /^\d+ bytes \(\d+ fewer\), different from the first byte$/);
  } finally {
    await target.stop();
  }
});
