import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { encodeFrame } from '../../wire/framing';
import { endUpload } from '../session';

export const invalidJson: Clause<string, UploadSettings> = {
  id: 'upload.framed.invalid-json',
  level: 'ROBUST',
  profiles: ['framed'],
  zh: { description: '客户端发送的类型帧不是协议规定的 JSON（JSON 格式错误、一个列表、未知的 msg_type、没有文件名的文件）。', expectation: '服务端拒绝它（关闭连接），不因 json.loads 或缺少某个键而崩溃，并继续为下一个客户端服务。' },
  appliesTo: (s) => s.uploadFramed === 'course',
  description: 'A client sends a type frame that is not the JSON the protocol defines (broken JSON, a list, an unknown msg_type, a file without a name).',
  expectation: 'The server refuses it (closes the connection) without crashing on json.loads or a missing key, and serves the next client.',
  arbitrary: () => fc.constantFrom('{"msg_type": ', 'not json', '[]', '{"msg_type": "video"}', '{"msg_type": "file"}', '{"file_name": "a.txt"}', '{"msg_type": "file", "file_name": 7}'),
  run: async (ctx, text) => {
    const conn = await ctx.connect();
    await conn.write(Buffer.concat([encodeFrame(text), encodeFrame('payload')]));
    return (await endUpload(ctx, conn, `after the type frame ${text}`, true)) ?? PASS;
  },
};
