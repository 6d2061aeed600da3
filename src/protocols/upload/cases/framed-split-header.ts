import fc from 'fast-check';
import type { UploadSettings } from '../settings';
import { splitHeaderClause } from '../../kit/split-header';
import { sendPlanned } from '../../kit/delivery';
import { sessionStream, type Item } from '../codec';
import { fileNameArb, payloadArb } from '../arbitraries';
import { judgeFiles } from '../framed-session';
import { endUpload } from '../session';

type FileItem = Extract<Item, { kind: 'file' }>;

export const framedSplitHeader = splitHeaderClause<FileItem, UploadSettings>({
  protocol: 'upload',
  words: { frame: "A file's frame (after its type frame)", answer: 'stores the file byte-exact', zh: { frame: '文件帧（在它的类型帧之后）', answer: '逐字节相同地保存文件' } },
  appliesTo: (s) => s.uploadFramed === 'course',
  needsFiles: true,
  message: () => fc.record({ kind: fc.constant('file' as const), name: fileNameArb(), data: payloadArb() }),
  boundaryMessage: () => ({ kind: 'file', name: 'a.txt', data: Buffer.from('sockspec split header\n') }),
  // The file frame's header: the second of the session (after the type frame's, before the close frame's).
  stream: (_w, item) => ({ ...sessionStream([item]), aim: 1 }),
  judge: async (ctx, item, plan, sentAs) => {
    const conn = await ctx.connect();
    await sendPlanned(conn, plan);
    const what = `a file sent as ${sentAs}`;
    const closing = await endUpload(ctx, conn, `after ${what}`);
    if (closing) return closing;
    return judgeFiles(ctx, [item], what);
  },
});
