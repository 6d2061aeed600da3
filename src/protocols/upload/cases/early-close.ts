import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { FAULTS } from '../../../harness/faults';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { bodyStream } from '../codec';
import { endLessonUpload, sendLessonUpload } from '../session';

const body = (size: number) => bodyStream(Buffer.alloc(size, 0x41));

/** `sent`: where the fault cuts the announced body short. */
export const earlyClose: Clause<{ size: number; sent: number }, UploadSettings> = {
  id: 'upload.early-close',
  level: 'ROBUST',
  profiles: ['lesson'],
  zh: { description: "客户端声明要发 n 字节，但没发够就结束发送（课程中 `if recv_size == total` 的循环遇到 b'' 永远不会结束）。", expectation: '服务端察觉到数据流已结束并关闭连接，不空转；下一次上传仍然正常。' },
  description: "A client announces n bytes but ends its stream after sending fewer (the course's `if recv_size == total` loop never ends on b'').",
  expectation: 'The server notices the end of stream and closes the connection without spinning; the next upload still works.',
  faults: [FAULTS.earlyClose.name],
  arbitrary: () =>
    fc.integer({ min: 1, max: 8192 }).chain((size) => {
      const { bytes, hints } = body(size);
      return fc.record({ size: fc.constant(size), sent: FAULTS.earlyClose.params(bytes.length, hints) });
    }),
  // A close right after the header, and one byte short of the whole body (the fault's boundary cases).
  boundary: () => {
    const { bytes, hints } = body(16);
    return FAULTS.earlyClose.boundary!(bytes.length, hints).map((sent) => ({ size: 16, sent }));
  },
  run: async (ctx, { size, sent }) => {
    const plan = FAULTS.earlyClose.apply(planOf(body(size).bytes), sent);
    const upload = await sendLessonUpload(ctx, plan, { announce: size });
    return (await endLessonUpload(ctx, upload, `after ${sent} of ${size} announced bytes and the client's end of stream`, true, plan.ending)) ?? PASS;
  },
};
