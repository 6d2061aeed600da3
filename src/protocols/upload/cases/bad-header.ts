import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { endUpload } from '../session';
import { sizeHeader } from '../codec';
import { isJsonTemplate } from '../../template';

export const badHeader: Clause<{ header: string; tail: number }, UploadSettings> = {
  id: 'upload.bad-header',
  level: 'ROBUST',
  profiles: ['lesson'],
  zh: { description: '客户端发送的文件大小报头不是可用的数字：含字母、负数、带小数点，或大得离谱（JSON 报头：JSON 格式错误，或大小不是整数）；后面可能跟几个字节，然后客户端关闭连接。', expectation: '服务端拒绝这次上传（关闭连接），不在 int() 上崩溃，不无休止地等待或空转，并继续为下一个客户端服务。' },
  description: "A client's size header is not a usable number: letters, negative, a decimal point, or absurdly large (JSON headers: broken JSON, or a size that is not a whole number); a few bytes may follow, then the client closes.",
  expectation: "The server refuses the upload (closes the connection) without crashing on int(), without waiting or spinning forever, and serves the next client.",
  arbitrary: (_profile, settings) =>
    fc.record({
      header: isJsonTemplate(settings.uploadHeader)
        ? fc.oneof(
            fc.constantFrom('-5', '-1', '1.5', '"abc"', 'null', '99999999999999999999999999').map((size) => sizeHeader(size, settings).toString()),
            fc.constantFrom('abc', 'size', '{"filename": ', '[]', '{}'),
          )
        : fc.oneof(
            fc.constantFrom('abc', 'size', '-5', '-1', '1.5', '0x10', '99999999999999999999999999', '１２').map((size) => sizeHeader(size, settings).toString()),
            fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).filter((s) => !/^\s*[+-]?\d+\s*$/.test(s)).map((size) => sizeHeader(size, settings).toString()),
          ),
      tail: fc.nat({ max: 32 }),
    }),
  run: async (ctx, { header, tail }) => {
    const conn = await ctx.connect();
    await conn.write(Buffer.from(header));
    await conn.pace();
    if (tail) await conn.write(Buffer.alloc(tail, 0x7a));
    return (await endUpload(ctx, conn, `after the size header "${header}" and the client's end of stream`, true)) ?? PASS;
  },
};
