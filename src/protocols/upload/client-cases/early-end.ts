// The played upload server gives up in the middle of the upload: it closes (the course
// server's conn.close(), FIN and nothing read after) or resets the connection after k bytes.
import fc from 'fast-check';
import type { ClientClause } from '../../../harness/client-clause';
import { FAULTS } from '../../../harness/faults';
import { NO_CONNECTION, PlayedSender } from '../../kit/client-play';
import type { UploadSettings } from '../settings';
import { fileOf } from './file';
import { playUpload, uploadPlay, uploadScript } from './play';

/** Larger than what the kernel buffers on both sides hold: the client is still sending when the server goes. */
const FILE = { size: 16 << 20, seed: 3 };

function earlyEnd(how: 'close' | 'reset'): ClientClause<number, UploadSettings> {
  const fault = how === 'close' ? FAULTS.earlyClose : FAULTS.reset;
  const words = how === 'close' ? { en: 'closes the connection (FIN, and reads nothing more)', zh: '关闭连接（FIN，之后不再读取）' } : { en: 'resets the connection (a real RST)', zh: '重置连接（真正的 RST）' };
  return {
    id: `upload.client.${how === 'close' ? 'early-close' : 'reset'}`,
    level: 'ROBUST',
    profiles: ['lesson', 'framed'],
    description: `The server ${words.en} after receiving k bytes of a 16 MiB upload, while the client is still sending.`,
    expectation: "The client's next send fails (BrokenPipeError, ConnectionResetError): it catches that, says the upload failed, and exits without a traceback, spinning or waiting forever.",
    zh: {
      description: `服务端在收到 16 MiB 上传中的 k 个字节之后${words.zh}，此时客户端还在发送。`,
      expectation: '客户端下一次发送会失败（BrokenPipeError、ConnectionResetError）：客户端应捕获异常，提示上传失败并退出，不能带 Traceback 崩溃、空转或无限等待。',
    },
    faults: [fault.name],
    // k counts the client's whole stream (header included): shrinks toward 0, an end before any byte came.
    // k below what the played server reads before it stops reading (its 4 MiB cap), so k is where it ends.
    arbitrary: () => fault.params(Math.min(FILE.size, 3 << 20), { messages: [], headers: [], insideChars: [], charBoundaries: [] }) as fc.Arbitrary<number>,
    boundary: () => [0, 64 * 1024],
    script: () => uploadScript(fileOf(FILE)),
    run: async (ctx, at) => {
      const ep = await ctx.accept();
      if (!ep) return NO_CONNECTION;
      return playUpload(ctx, ep, new PlayedSender(ep, uploadPlay.writes(ctx.settings, ctx.profile, 'plain'), undefined, 1000), fileOf(FILE), { at, how });
    },
  };
}

export const uploadEarlyClose = earlyEnd('close');
export const uploadReset = earlyEnd('reset');
