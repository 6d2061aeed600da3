import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { plannedCuts } from '../../../harness/chunk';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { sendPlanned } from '../../kit/delivery';
import type { UploadSettings } from '../settings';
import { lessonStream } from '../codec';
import { endLessonUpload, judgeStored } from '../session';

export const coalescedHeader: Clause<{ payload: Buffer; joins: ParamsOf<typeof FAULTS.coalesce> }, UploadSettings> = {
  id: 'upload.coalesced-header',
  level: 'ADVISORY',
  profiles: ['lesson'],
  zh: { description: '文件大小报头和文件内容的前几个字节在同一个段里到达（粘包：客户端发完报头后没有停顿）。', expectation: 'lesson 服务端分不清报头在哪里结束，所以存错文件只是建议级（ADVISORY）；但对混在一起的字节做 int() 而崩溃、卡住或空转，则是健壮级（ROBUST）失败。' },
  needsFiles: true,
  description: 'The size header and the first body bytes arrive in one segment (粘包: the client did not pause after the header).',
  expectation:
    "A lesson server cannot tell where the header ends, so a wrong file is ADVISORY; crashing on int() of the mixed bytes, hanging or spinning is a ROBUST failure.",
  faults: [FAULTS.coalesce.name],
  arbitrary: (_profile, settings) =>
    fc
      .uint8Array({ minLength: 1, maxLength: 512 })
      .map((a) => Buffer.from(a))
      .filter((b) => b[0] < 0x30 || b[0] > 0x39)
      .chain((payload) => {
        const { bytes, hints } = lessonStream(settings, payload);
        return fc.record({ payload: fc.constant(payload), joins: FAULTS.coalesce.params(bytes.length, hints) });
      }),
  run: async (ctx, { payload, joins }) => {
    const { bytes, hints } = lessonStream(ctx.settings, payload);
    const conn = await ctx.connect();
    // The course's delivery is the header, a pause, then the body: the fault joins them.
    await sendPlanned(conn, FAULTS.coalesce.apply(plannedCuts(bytes, hints.messages), joins));
    const closing = await endLessonUpload(ctx, { conn, bad: null }, 'after a header and body sent in one segment', true);
    if (closing) return closing;
    const stored = await judgeStored(ctx, payload, 'a header and body in one segment');
    return stored.verdict === 'pass' ? stored : { ...stored, verdict: 'wrong-answer' };
  },
};
