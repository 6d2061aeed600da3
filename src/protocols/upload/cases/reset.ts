import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { FAULTS } from '../../../harness/faults';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { bodyStream } from '../codec';
import { endLessonUpload, sendLessonUpload } from '../session';

const body = (size: number) => bodyStream(Buffer.alloc(size, 0x43));

/** `sent`: where the fault cuts the announced body short with an RST. */
export const reset: Clause<{ size: number; sent: number }, UploadSettings> = {
  id: 'upload.reset',
  level: 'ROBUST',
  profiles: ['lesson'],
  zh: { description: '客户端在发送文件内容的中途重置连接（RST），此时服务端已读完已发送的部分。', expectation: '服务端挺过去（捕获了 ConnectionResetError），丢弃不完整的上传，下一次上传仍然正常。' },
  description: 'A client resets the connection (RST) in the middle of the body, after the server has read what was sent.',
  expectation: 'The server survives (ConnectionResetError caught), drops the partial upload, and the next upload still works.',
  faults: [FAULTS.reset.name],
  arbitrary: () =>
    fc.integer({ min: 2, max: 8192 }).chain((size) => {
      const { bytes, hints } = body(size);
      return fc.record({ size: fc.constant(size), sent: FAULTS.reset.params(bytes.length, hints) });
    }),
  // An RST right after the header (the fault's first boundary case; one byte short of the body is upload.early-close's).
  boundary: () => {
    const { bytes, hints } = body(16);
    return FAULTS.reset.boundary!(bytes.length, hints).slice(0, 1).map((sent) => ({ size: 16, sent }));
  },
  run: async (ctx, { size, sent }) => {
    const plan = FAULTS.reset.apply(planOf(body(size).bytes), sent);
    // The RST goes out once the server has read what was sent (endAsPlanned).
    return (await endLessonUpload(ctx, await sendLessonUpload(ctx, plan, { announce: size }), 'in the middle of the body', false, plan.ending)) ?? PASS;
  },
};
