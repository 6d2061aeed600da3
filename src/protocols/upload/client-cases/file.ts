import fc from 'fast-check';
import type { ClientClause } from '../../../harness/client-clause';
import { NO_CONNECTION, PlayedSender } from '../../kit/client-play';
import type { UploadSettings } from '../settings';
import { playUpload, uploadPlay, uploadScript } from './play';

/** A file's contents, made from a seed (a recording keeps the seed, not a MiB of input). */
export interface FileSpec {
  size: number;
  seed: number;
}

export function fileOf(f: FileSpec): Buffer {
  const out = Buffer.alloc(f.size);
  let x = f.seed >>> 0 || 1;
  for (let i = 0; i < f.size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const fileUpload: ClientClause<FileSpec, UploadSettings> = {
  id: 'upload.client.file',
  level: 'MUST',
  profiles: ['lesson', 'framed'],
  description: 'The scripted user uploads a file sockspec wrote: binary bytes of any value, an empty file, a file of more than 1 MiB.',
  expectation: "The client sends the header and then exactly the file's bytes (framed: the type frame, the file frame, the close frame), closes, and exits without a traceback.",
  zh: {
    description: '脚本中的用户上传一个由 sockspec 写好的文件：任意取值的二进制字节、空文件、超过 1 MiB 的文件。',
    expectation: '客户端先发送报头，再发送与文件完全一致的字节（framed：类型帧、文件帧、close 帧），然后关闭连接，正常退出（没有 Traceback）。',
  },
  faults: [],
  arbitrary: () => fc.record({ size: fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 4097, max: 1 << 21 })), seed: fc.nat() }),
  // Empty, and larger than 1 MiB (the course's loop reads 1024 bytes at a time).
  boundary: () => [
    { size: 0, seed: 1 },
    { size: (1 << 20) + 1536, seed: 7 },
  ],
  script: (f) => uploadScript(fileOf(f)),
  run: async (ctx, f) => {
    const ep = await ctx.accept();
    if (!ep) return NO_CONNECTION;
    return playUpload(ctx, ep, new PlayedSender(ep, uploadPlay.writes(ctx.settings, ctx.profile, 'plain'), undefined, 1000), fileOf(f));
  },
};
