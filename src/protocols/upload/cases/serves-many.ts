import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { Settings } from '../../types';
import { endUpload, sendLessonUpload } from './session';

export const servesMany: Clause<number, Settings> = {
  id: 'upload.serves-many',
  level: 'ADVISORY',
  profiles: ['lesson'],
  needsFiles: true,
  description: 'Two clients upload one after the other, without the server being restarted.',
  expectation: 'The second upload is accepted like the first. The course server exits after one upload: that is ADVISORY (the harness restarts it).',
  arbitrary: () => fc.integer({ min: 1, max: 2048 }),
  run: async (ctx, size) => {
    for (let i = 1; i <= 2; i++) {
      const payload = Buffer.alloc(size + i, 0x30 + i);
      let conn;
      try {
        conn = await sendLessonUpload(ctx, payload, []);
      } catch {
        return { verdict: 'wrong-answer', summary: `upload ${i} could not connect: the server stopped after upload ${i - 1}`, expected: 'the server keeps accepting uploads' };
      }
      const closing = await endUpload(ctx, conn, `after upload ${i}`);
      if (closing) return closing;
    }
    return PASS;
  },
};
