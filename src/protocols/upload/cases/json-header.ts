// The framed "json-header" form of a variant: one length-prefixed JSON header frame, then the
// raw body (no frame around it), then the client's end of stream. One file per connection.
import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { describeFor, maybe, planFor, sendPlanned } from '../../kit/delivery';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { encodeFrame } from '../../wire/framing';
import { fileNameArb, payloadArb } from '../arbitraries';
import { jsonHeaderStream, sizeHeader } from '../codec';
import { endUpload, judgeStored } from '../session';

const jsonHeaderForm = (s: UploadSettings) => s.uploadFramed === 'json-header';

export const jsonStore: Clause<{ name: string; payload: Buffer; cuts: ParamsOf<typeof FAULTS.fragment> | null }, UploadSettings> = {
  id: 'upload.framed.json-store',
  level: 'MUST',
  profiles: ['framed'],
  zh: { description: '客户端发送一个文件：先是一个 JSON 报头帧（文件名和大小），后面跟着原始字节；整个数据流在任意位置（包括报头内）切成若干段，然后结束发送。', expectation: '服务端工作目录中恰好有一个文件被创建或修改，其内容与发送的字节完全相同；服务端关闭连接。' },
  needsFiles: true,
  appliesTo: jsonHeaderForm,
  description: 'A client sends one file as a JSON header frame (its name and size) followed by the raw bytes, the whole stream cut into segments anywhere (headers included), then ends its stream.',
  expectation: "Exactly one file in the server's working directory is created or changed, holding exactly the bytes sent; the server closes the connection.",
  faults: [FAULTS.fragment.name],
  arbitrary: (_profile, settings) =>
    fc.record({ name: fileNameArb(), payload: payloadArb() }).chain(({ name, payload }) =>
      fc.record({ name: fc.constant(name), payload: fc.constant(payload), cuts: maybe(FAULTS.fragment, jsonHeaderStream(settings, name, payload)) }),
    ),
  run: async (ctx, { name, payload, cuts }) => {
    const plan = planFor(FAULTS.fragment, jsonHeaderStream(ctx.settings, name, payload).bytes, cuts);
    const conn = await ctx.connect();
    await sendPlanned(conn, plan);
    const what = `a file of ${payload.length} bytes sent as ${describeFor(FAULTS.fragment, plan, cuts)}`;
    const closing = await endUpload(ctx, conn, `after ${what}`);
    if (closing) return closing;
    return judgeStored(ctx, payload, what);
  },
};

export const jsonBadHeader: Clause<string, UploadSettings> = {
  id: 'upload.framed.json-bad-header',
  level: 'ROBUST',
  profiles: ['framed'],
  zh: { description: '客户端发送的报头帧不是可用的 JSON 报头（JSON 格式错误、一个列表、负数或小数的大小、不是数字的大小），再发几个字节，然后结束发送。', expectation: '服务端拒绝它（关闭连接），不因 json.loads、缺少某个键或 int() 而崩溃，并继续为下一个客户端服务。' },
  appliesTo: jsonHeaderForm,
  description: 'A client sends a header frame that is not a usable JSON header (broken JSON, a list, a negative or fractional size, a size that is not a number), a few bytes, then ends its stream.',
  expectation: 'The server refuses it (closes the connection) without crashing on json.loads, a missing key or int(), and serves the next client.',
  arbitrary: (_profile, settings) =>
    fc.oneof(
      fc.constantFrom('{"filename": ', 'not json', '[]', '{}'),
      fc.constantFrom('-5', '1.5', '"abc"', 'null').map((size) => sizeHeader(size, settings).toString()),
    ),
  run: async (ctx, text) => {
    const conn = await ctx.connect();
    await conn.write(Buffer.concat([encodeFrame(text), Buffer.from('payload')]));
    return (await endUpload(ctx, conn, `after the header frame ${text}`, true)) ?? PASS;
  },
};
