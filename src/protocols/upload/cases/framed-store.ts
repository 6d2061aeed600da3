import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { describeFor, maybe, planFor, sendPlanned } from '../../kit/delivery';
import type { UploadSettings } from '../settings';
import { fileNameArb, payloadArb } from '../arbitraries';
import { sessionStream, type Item } from '../codec';
import { judgeFiles } from '../framed-session';
import { endUpload } from '../session';

// Built when a run asks for it, not when the module loads: a grapheme string arbitrary costs
// fast-check 30 ms to set up, paid by every start of the command line otherwise.
const itemArb = (): fc.Arbitrary<Item> =>
  fc.oneof(
    fc.record({ kind: fc.constant('msg' as const), text: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
    fc.record({ kind: fc.constant('file' as const), name: fileNameArb(), data: payloadArb() }),
  );

export const framedStore: Clause<{ items: Item[]; cuts: ParamsOf<typeof FAULTS.fragment> | null }, UploadSettings> = {
  id: 'upload.framed.store',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '客户端发送若干消息和文件（先一个类型帧，再一个文本帧或文件帧），最后发送一个 `close` 帧；整个数据流在任意位置（包括报头内）切成若干段，或合并在一起发送。', expectation: '每个文件都保存为 files/<name>，逐字节相同；收到 `close` 后服务端关闭连接。' },
  appliesTo: (s) => s.uploadFramed === 'course',
  needsFiles: true,
  description: 'A client sends messages and files (type frame, then text or file frame), then a `close` frame; the whole stream is cut into segments anywhere, headers included, or coalesced.',
  expectation: 'Every file is stored as files/<name>, byte-exact, and the server closes the connection after `close`.',
  faults: [FAULTS.fragment.name],
  arbitrary: () =>
    fc
      .array(itemArb(), { minLength: 1, maxLength: 4 })
      .map((items) => {
        const seen = new Set<string>();
        return items.filter((it) => it.kind === 'msg' || (!seen.has(it.name) && !!seen.add(it.name)));
      })
      .chain((items) => fc.record({ items: fc.constant(items), cuts: maybe(FAULTS.fragment, sessionStream(items)) })),
  run: async (ctx, { items, cuts }) => {
    const plan = planFor(FAULTS.fragment, sessionStream(items).bytes, cuts);
    const conn = await ctx.connect();
    await sendPlanned(conn, plan);
    const what = `${items.length} item(s) sent as ${describeFor(FAULTS.fragment, plan, cuts)}`;
    const closing = await endUpload(ctx, conn, `after ${what} and the close frame`);
    if (closing) return closing;
    return judgeFiles(ctx, items, what);
  },
};
