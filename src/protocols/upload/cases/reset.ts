import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { sendLessonUpload } from '../session';

export const reset: Clause<{ size: number; sent: number }, UploadSettings> = {
  id: 'upload.reset',
  level: 'ROBUST',
  profiles: ['lesson'],
  zh: { description: '客户端在发送文件内容的中途重置连接（RST），此时服务端已读完已发送的部分。', expectation: '服务端挺过去（捕获了 ConnectionResetError），丢弃不完整的上传，下一次上传仍然正常。' },
  description: 'A client resets the connection (RST) in the middle of the body, after the server has read what was sent.',
  expectation: 'The server survives (ConnectionResetError caught), drops the partial upload, and the next upload still works.',
  arbitrary: () => fc.integer({ min: 2, max: 8192 }).chain((size) => fc.record({ size: fc.constant(size), sent: fc.integer({ min: 0, max: size - 1 }) })),
  // An RST right after the header.
  boundary: () => [{ size: 16, sent: 0 }],
  run: async (ctx, { size, sent }) => {
    const { conn, bad } = await sendLessonUpload(ctx, Buffer.alloc(sent, 0x43), [], { announce: size });
    if (bad) {
      conn.close();
      return bad;
    }
    await conn.pace();
    conn.reset();
    return PASS;
  },
};
