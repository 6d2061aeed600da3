import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { describeCuts, splitAt } from '../../../harness/chunk';
import { fragmentArb } from '../../../harness/faults';
import type { UploadSettings } from '../settings';
import { fileNameArb, payloadArb } from '../arbitraries';
import { encodeSession, type Item } from '../codec';
import { judgeFiles } from '../framed-session';
import { endUpload } from '../session';

const itemArb: fc.Arbitrary<Item> = fc.oneof(
  fc.record({ kind: fc.constant('msg' as const), text: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
  fc.record({ kind: fc.constant('file' as const), name: fileNameArb(), data: payloadArb() }),
);

export const framedStore: Clause<{ items: Item[]; cuts: number[] }, UploadSettings> = {
  id: 'upload.framed.store',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '客户端发送若干消息和文件（先一个类型帧，再一个文本帧或文件帧），最后发送一个 `close` 帧；整个数据流在任意位置（包括报头内）切成若干段，或合并在一起发送。', expectation: '每个文件都保存为 files/<name>，逐字节相同；收到 `close` 后服务端关闭连接。' },
  appliesTo: (s) => s.uploadFramed === 'course',
  needsFiles: true,
  description: 'A client sends messages and files (type frame, then text or file frame), then a `close` frame; the whole stream is cut into segments anywhere, headers included, or coalesced.',
  expectation: 'Every file is stored as files/<name>, byte-exact, and the server closes the connection after `close`.',
  arbitrary: () =>
    fc
      .array(itemArb, { minLength: 1, maxLength: 4 })
      .map((items) => {
        const seen = new Set<string>();
        return items.filter((it) => it.kind === 'msg' || (!seen.has(it.name) && !!seen.add(it.name)));
      })
      .chain((items) => fc.record({ items: fc.constant(items), cuts: fragmentArb(encodeSession(items).length, 12) })),
  run: async (ctx, { items, cuts }) => {
    const bytes = encodeSession(items);
    const conn = await ctx.connect();
    await conn.sendSegments(splitAt(bytes, cuts));
    const what = `${items.length} item(s) sent as ${describeCuts(bytes.length, cuts)}`;
    const closing = await endUpload(ctx, conn, `after ${what} and the close frame`);
    if (closing) return closing;
    return judgeFiles(ctx, items, what);
  },
};
