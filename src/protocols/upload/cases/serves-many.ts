import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { endLessonUpload, sendLessonUpload } from '../session';

export const servesMany: Clause<number, UploadSettings> = {
  id: 'upload.serves-many',
  level: 'ADVISORY',
  profiles: ['lesson'],
  zh: { description: '两个客户端先后上传，中间不重启服务端。', expectation: '第二次上传和第一次一样被接收。课程的服务端上传一次后就退出：这只算建议级（ADVISORY），sockspec 会重启它。' },
  needsFiles: true,
  description: 'Two clients upload one after the other, without the server being restarted.',
  expectation: 'The second upload is accepted like the first. The course server exits after one upload: that is ADVISORY (the harness restarts it).',
  arbitrary: () => fc.integer({ min: 1, max: 2048 }),
  run: async (ctx, size) => {
    for (let i = 1; i <= 2; i++) {
      const payload = Buffer.alloc(size + i, 0x30 + i);
      let closing;
      try {
        closing = await endLessonUpload(ctx, await sendLessonUpload(ctx, planOf(payload)), `after upload ${i}`);
      } catch {
        closing = { verdict: 'reset' as const, summary: 'the connection failed' };
      }
      if (!closing) continue;
      // Whatever the second upload meets (refused, reset, no close), the server stopped
      // serving after one upload, like the course's: ADVISORY. A crash is judged by the runner.
      if (i === 2) return { verdict: 'wrong-answer', summary: `upload 2 was not served (${closing.summary}): the server stopped after one upload`, expected: 'the server keeps accepting uploads' };
      return closing;
    }
    return PASS;
  },
};
