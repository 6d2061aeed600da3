import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { FAULTS } from '../../../harness/faults';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { bodyStream } from '../codec';
import { endLessonUpload, sendLessonUpload, settledChanges } from '../session';

const body = (size: number) => bodyStream(Buffer.alloc(size, 0x42));

/** `sent`: where the fault cuts the announced body short (at least one byte: a partial file). */
export const partialLeft: Clause<{ size: number; sent: number }, UploadSettings> = {
  id: 'upload.partial-left',
  level: 'ADVISORY',
  profiles: ['lesson'],
  zh: { description: '客户端中途放弃上传（发送的字节少于声明的大小，然后结束发送）。', expectation: '不留下看起来完整的文件：不完整的数据要么丢弃，要么保存在一个表明它不完整的文件名下（建议级 ADVISORY）。' },
  needsFiles: true,
  description: 'An upload is cut short by the client (fewer bytes than announced, then end of stream).',
  expectation: 'No file that looks complete is left behind: the partial bytes are discarded or kept under a name that says so (ADVISORY).',
  faults: [FAULTS.earlyClose.name],
  arbitrary: () =>
    fc.integer({ min: 2, max: 4096 }).chain((size) => {
      const { bytes, hints } = body(size);
      return fc.record({ size: fc.constant(size), sent: FAULTS.earlyClose.params(bytes.length, hints).filter((k) => k > 0) });
    }),
  boundary: () => [{ size: 16, sent: 1 }],
  run: async (ctx, { size, sent }) => {
    const plan = FAULTS.earlyClose.apply(planOf(body(size).bytes), sent);
    const upload = await sendLessonUpload(ctx, plan, { announce: size });
    const closing = await endLessonUpload(ctx, upload, "after a cut-short upload and the client's end of stream", true, plan.ending);
    if (closing) return closing;
    const left = (await settledChanges(ctx, () => true)).filter((c) => !c.rel.split('/').pop()!.startsWith('.') && !/\.(part|partial|tmp)$/.test(c.rel));
    if (left.length) {
      return {
        verdict: 'wrong-answer',
        summary: `a partial upload (${sent} of ${size} bytes) was left on disk as ${left.map((c) => c.rel).join(', ')}`,
        expected: 'no complete-looking file for an incomplete upload',
        observed: left.map((c) => `${c.rel} (${c.size} bytes)`).join('; '),
      };
    }
    return PASS;
  },
};
