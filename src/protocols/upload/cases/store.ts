import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { FAULTS, type ParamsOf } from '../../../harness/faults';
import { describeFor, maybe, planFor } from '../../kit/delivery';
import type { UploadSettings } from '../settings';
import { payloadArb } from '../arbitraries';
import { bodyStream } from '../codec';
import { endLessonUpload, judgeStored, sendLessonUpload } from '../session';

export const store: Clause<{ payload: Buffer; cuts: ParamsOf<typeof FAULTS.fragment> | null }, UploadSettings> = {
  id: 'upload.store',
  level: 'MUST',
  profiles: ['lesson'],
  zh: { description: '客户端先用 ASCII 数字发送文件大小，等服务端读走后，再发送恰好这么多字节（二进制、文本、空文件，最大 1 MiB），在任意位置切成若干段，然后关闭连接。', expectation: '服务端工作目录中恰好有一个文件被创建或修改，其内容与发送的字节完全相同。' },
  needsFiles: true,
  description:
    'A client sends the size as ASCII digits, waits until the server has read it, then sends exactly that many bytes (binary, text, empty, up to 1 MiB) cut into segments anywhere, then closes.',
  expectation: "Exactly one file in the server's working directory is created or changed, and it holds exactly the bytes sent.",
  faults: [FAULTS.fragment.name],
  arbitrary: () => payloadArb().chain((payload) => fc.record({ payload: fc.constant(payload), cuts: maybe(FAULTS.fragment, bodyStream(payload)) })),
  run: async (ctx, { payload, cuts }) => {
    const plan = planFor(FAULTS.fragment, payload, cuts);
    const upload = await sendLessonUpload(ctx, plan);
    const what = `an upload of ${payload.length} bytes sent as ${describeFor(FAULTS.fragment, plan, cuts)}`;
    const closing = await endLessonUpload(ctx, upload, `after ${what}`);
    if (closing) return closing;
    return judgeStored(ctx, payload, what);
  },
};
