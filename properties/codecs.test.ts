// Codecs on bytes alone (no sockets): round trips under every way of cutting the bytes.
import t from 'tap';
import fc from 'fast-check';
import { encodeFrame, frameHeader, FrameDecoder, INT32_MAX } from '../src/protocols/wire/framing';
import { countFixed, JsonObjectStream, parseSizeHeader } from '../src/protocols/wire/reply-streams';
import { splitAt, cutsArb, everyByte, normalizeCuts } from '../src/harness/chunk';
import { decodeStrict, describeDecodeError, endsMidCharacter, isValidUtf8, printable } from '../src/harness/text';
import { CodecError } from '../src/harness/errors';
import { dumps, parseAuth, encodeReply, greetingBytes } from '../src/protocols/auth/codec';
import { readReplies, replyBytes, welcomeBytes } from '../src/protocols/bot/codec';
import { encodeSession, parseTypeFrame, safeBasename } from '../src/protocols/upload/codec';
import { SEED } from './helpers';
import { authDefaults } from '../src/protocols/auth/settings';
import { botDefaults } from '../src/protocols/bot/settings';

const params = { seed: SEED, numRuns: 200 };
const payloads = fc.array(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { maxLength: 6 });

t.test('framing: decode(encode(frames)) equals frames for every cutting', async (t) => {
  fc.assert(
    fc.property(payloads.chain((frames) => {
      const bytes = Buffer.concat(frames.map(encodeFrame));
      return fc.tuple(fc.constant(frames), fc.oneof(cutsArb(bytes.length, 20), fc.constant(everyByte(bytes.length))));
    }), ([frames, cuts]) => {
      const bytes = Buffer.concat(frames.map(encodeFrame));
      const d = new FrameDecoder(1 << 20);
      const out = splitAt(bytes, cuts).flatMap((seg) => d.push(seg));
      return out.length === frames.length && out.every((f, i) => f.equals(frames[i])) && !d.midFrame;
    }),
    params,
  );
  t.pass('round trip holds');
});

t.test('framing: negative and over-limit headers give coded errors, wherever the header is cut', async (t) => {
  for (const [len, code] of [[-1, 'ERR_FRAME_NEGATIVE'], [-0x80000000, 'ERR_FRAME_NEGATIVE'], [INT32_MAX, 'ERR_FRAME_TOO_LARGE'], [1025, 'ERR_FRAME_TOO_LARGE']] as const) {
    for (let cut = 0; cut <= 4; cut++) {
      const d = new FrameDecoder(1024);
      const h = frameHeader(len);
      let err: unknown;
      try {
        d.push(h.subarray(0, cut));
        d.push(h.subarray(cut));
      } catch (e) {
        err = e;
      }
      t.ok(err instanceof CodecError, `length ${len} cut at ${cut} throws a CodecError`);
      t.equal((err as CodecError).code, code);
    }
  }
});

t.test('JSON reply stream: concatenated objects in any chunking', async (t) => {
  const objects = fc.array(fc.record({ status: fc.boolean(), msg: fc.string({ unit: 'grapheme', maxLength: 20 }) }), { minLength: 1, maxLength: 5 });
  fc.assert(
    fc.property(objects.chain((objs) => {
      const bytes = Buffer.from(objs.map((o) => dumps(o)).join(''));
      return fc.tuple(fc.constant(objs), cutsArb(bytes.length, 30));
    }), ([objs, cuts]) => {
      const bytes = Buffer.from(objs.map((o) => dumps(o)).join(''));
      const s = new JsonObjectStream();
      const got = splitAt(bytes, cuts).flatMap((seg) => s.push(seg));
      return JSON.stringify(got) === JSON.stringify(objs);
    }),
    params,
  );
  t.throws(() => new JsonObjectStream().push(Buffer.from('hello')), { code: 'ERR_JSON' });
  t.equal(dumps({ msg: '登录成功' }), '{"msg":"\\u767b\\u5f55\\u6210\\u529f"}', 'json.dumps-style escapes');
});

t.test('fixed replies are counted by bytes, not by reads', async (t) => {
  const stream = Buffer.concat([welcomeBytes('lesson'), replyBytes('lesson'), replyBytes('lesson'), replyBytes('lesson').subarray(0, 5)]);
  const r = readReplies('lesson', botDefaults, stream);
  t.same(r, { ok: true, welcome: true, replies: 2, mismatchAt: -1 });
  const wrong = Buffer.concat([welcomeBytes('lesson'), Buffer.from('你说啥!')]);
  t.equal(readReplies('lesson', botDefaults, wrong).ok, false);
  t.equal(countFixed(Buffer.from('abX'), Buffer.from('ab'), Buffer.from('c')).mismatchAt, 2);
  const framed = Buffer.concat([welcomeBytes('framed'), replyBytes('framed')]);
  t.equal(readReplies('framed', botDefaults, framed).replies, 1);
  // A templated reply with no welcome is matched in order against the messages sent.
  const tpl = { ...botDefaults, botWelcome: null, botReply: 'Hello, {message}!' };
  const sent = [Buffer.from('ab'), Buffer.from('你')];
  t.same(readReplies('lesson', tpl, Buffer.from('Hello, ab!Hello, 你'), sent), { ok: true, welcome: true, replies: 1, mismatchAt: -1 });
  t.same(readReplies('lesson', tpl, Buffer.from('Hello, ab!Hello, 你!'), sent).replies, 2);
  t.equal(readReplies('lesson', tpl, Buffer.from('Hello, AB!'), sent).mismatchAt, 7);
  t.equal(readReplies('lesson', tpl, Buffer.from('Hello, ab!Hello, 你!x'), sent).ok, false, 'extra bytes are wrong');
});

t.test('auth stream: greeting then parsed replies in both profiles', async (t) => {
  for (const profile of ['lesson', 'framed'] as const) {
    const w = { profile, settings: authDefaults };
    const bytes = Buffer.concat([greetingBytes(w), encodeReply(w, false, '错'), encodeReply(w, true, 'ok')]);
    for (let cut = 0; cut <= bytes.length; cut += 3) {
      const s = parseAuth(w, bytes.subarray(0, cut), []);
      t.notOk(s.error, `${profile}: no error at ${cut}`);
    }
    t.same(parseAuth(w, bytes, []).replies.map((r) => r.status), [false, true]);
  }
  const lesson = { profile: 'lesson' as const, settings: authDefaults };
  t.ok(parseAuth(lesson, Buffer.concat([greetingBytes(lesson), Buffer.from('OK')]), []).error);
});

t.test('auth stream of a variant: JSON success field, or text replies delimited by the attempts', async (t) => {
  const json = { profile: 'lesson' as const, settings: { ...authDefaults, authGreeting: null, authSuccessField: 'code', authSuccessValue: 200 } };
  const two = Buffer.from('{"code": 401, "msg": "no"}{"code": 200}');
  t.same(parseAuth(json, two, []).replies.map((r) => r.status), [false, true]);
  t.match(parseAuth(json, Buffer.from('{"msg": "no"}'), []).error, /no "code" field/);
  const text = { profile: 'lesson' as const, settings: { ...authDefaults, authGreeting: 'Welcome\n', authSuccessText: 'OK' } };
  const got = Buffer.from('Welcome\nwrong password\nlogin OK\n');
  const second = Buffer.byteLength('Welcome\nwrong password\n');
  t.same(parseAuth(text, got, [8, second]).replies.map((r) => [r.status, r.raw]), [[false, 'wrong password\n'], [true, 'login OK\n']]);
  t.match(parseAuth(text, got, []).error, /before the first attempt/);
  const framed = { profile: 'framed' as const, settings: text.settings };
  const frames = Buffer.concat([greetingBytes(framed), encodeReply(framed, false, ''), encodeReply(framed, true, '')]);
  t.same(parseAuth(framed, frames, []).replies.map((r) => r.status), [false, true], 'framed text replies are frames');
});

t.test('UTF-8 helpers match Python', async (t) => {
  t.equal(describeDecodeError(Buffer.from([0xe4])), "UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-0: unexpected end of data");
  t.equal(describeDecodeError(Buffer.from([0x61, 0xff])), "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
  t.equal(describeDecodeError(Buffer.from([0xe4, 0x41])), "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe4 in position 0: invalid continuation byte");
  t.equal(describeDecodeError(Buffer.from([0xed, 0xa0, 0x80])), "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte");
  t.notOk(isValidUtf8(Buffer.from([0xc0, 0xaf])), 'overlong rejected');
  t.throws(() => decodeStrict(Buffer.from([0xe4, 0xbd])));
  const ni = Buffer.from('你');
  t.ok(endsMidCharacter(ni.subarray(0, 1)));
  t.ok(endsMidCharacter(ni.subarray(0, 2)));
  t.notOk(endsMidCharacter(ni));
  t.notOk(endsMidCharacter(Buffer.from('abc')));
  t.equal(printable(Buffer.from([0x68, 0x0a, 0xff, 0xe4, 0xbd, 0xa0])), 'h\\n\\xff你');
});

t.test('cut plans', async (t) => {
  t.same(normalizeCuts([5, 1, 5, 0, 9], 6), [1, 5]);
  t.same(splitAt(Buffer.from('abcdef'), [2, 4]).map(String), ['ab', 'cd', 'ef']);
  fc.assert(fc.property(fc.integer({ min: 0, max: 50 }).chain((n) => fc.tuple(fc.constant(n), cutsArb(n))), ([n, cuts]) => Buffer.concat(splitAt(Buffer.alloc(n, 1), cuts)).length === n), params);
});

t.test('upload codec: size header, type frames, base names', async (t) => {
  t.equal(parseSizeHeader(Buffer.from('123'), 1000), 123);
  t.throws(() => parseSizeHeader(Buffer.from('-5'), 1000), { code: 'ERR_SIZE_HEADER' });
  t.throws(() => parseSizeHeader(Buffer.from('5000'), 1000), { code: 'ERR_SIZE_TOO_LARGE' });
  t.same(parseTypeFrame(Buffer.from('{"msg_type": "file", "file_name": "a"}')), { msg_type: 'file', file_name: 'a' });
  t.equal(parseTypeFrame(Buffer.from('close')), 'close');
  t.equal(parseTypeFrame(Buffer.from('{"msg_type": "file"}')), null);
  t.equal(safeBasename('../../etc/passwd'), 'passwd');
  t.equal(safeBasename('..\\..\\x.txt'), 'x.txt');
  t.equal(safeBasename('/abs/'), null);
  t.equal(safeBasename('..'), null);
  t.ok(encodeSession([]).equals(encodeFrame('close')));
});

t.test('every clause of every protocol is listed, with its level, in its spec.md', async (t) => {
  const { PROTOCOLS } = await import('../src/protocols');
  const { specPath, updatedSpec } = await import('../src/protocols/spec-doc');
  const { readFileSync } = await import('node:fs');
  const ids = new Set<string>();
  for (const p of PROTOCOLS) {
    t.equal(readFileSync(specPath(p), 'utf8'), updatedSpec(p), `${p.name}/spec.md is current (npm run spec)`);
    t.equal(readFileSync(specPath(p), 'utf8').match(/^## Clauses$/gm)?.length, 1, `${p.name}/spec.md has one clause list`);
    for (const c of p.clauses) {
      t.notOk(ids.has(c.id), `${c.id} is unique`);
      ids.add(c.id);
      t.match(c.id, new RegExp(`^${p.name}\\.[a-z0-9.-]+$`));
      t.ok(c.description.length > 20 && c.expectation.length > 20, `${c.id} says what and what is expected`);
    }
  }
});
