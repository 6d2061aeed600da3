import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, plannedCuts } from '../../../harness/chunk';
import { headerCutsArb } from '../../kit/framed-clauses';
import type { UploadSettings } from '../settings';
import { encodeItem, encodeSession, type Item } from '../codec';
import { fileNameArb, payloadArb } from '../arbitraries';
import { judgeFiles } from '../framed-session';
import { endUpload } from '../session';

export const framedSplitHeader: Clause<{ item: Item; cuts: number[] }, UploadSettings> = {
  id: 'upload.framed.split-header',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '文件帧的报头（在它的类型帧之后）被切在几个段里到达。', expectation: '服务端读完整个报头和数据，并逐字节相同地保存文件。' },
  appliesTo: (s) => s.uploadFramed === 'course',
  needsFiles: true,
  description: "A file's frame header (after its type frame) arrives cut across segments.",
  expectation: 'The server reads the whole header and body and stores the file byte-exact.',
  arbitrary: () =>
    fc.record({ kind: fc.constant('file' as const), name: fileNameArb(), data: payloadArb() }).chain((item) => {
      const headerAt = encodeItem(item).length - item.data.length - 4;
      return fc.record({ item: fc.constant(item as Item), cuts: headerCutsArb(headerAt, encodeSession([item]).length) });
    }),
  run: async (ctx, { item, cuts }) => {
    const bytes = encodeSession([item]);
    const conn = await ctx.connect();
    await conn.sendPlan(plannedCuts(bytes, cuts));
    const what = `a file sent as ${describeCuts(bytes.length, cuts)}`;
    const closing = await endUpload(ctx, conn, `after ${what}`);
    if (closing) return closing;
    return judgeFiles(ctx, [item], what);
  },
};
