import fc from 'fast-check';
import type { Clause } from '../../../harness/clause';
import { PASS } from '../../kit/session';
import type { AuthSettings } from '../settings';
import { endAndClose, openAfterFailures } from '../session';

export const earlyClose: Clause<number, AuthSettings> = {
  id: 'auth.early-close',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端放弃登录：在收到欢迎信息后、或在 k 次登录失败后结束发送（课程的客户端输入 Q 退出；recv 返回 b""）。', expectation: "服务端关闭这个连接（b'' 不是一次登录尝试：不能在 split('|') 上崩溃），并继续为下一个客户端服务。" },
  description: 'A client gives up: it ends its stream after the greeting or after k failed attempts (the course client quits on Q; recv returns b"").',
  expectation: "The server closes that connection (b'' is not a login attempt: no crash on split('|')) and serves the next client.",
  arbitrary: () => fc.nat({ max: 2 }),
  run: async (ctx, k) => {
    const { s, bad } = await openAfterFailures(ctx, k);
    if (bad) return bad;
    return (await endAndClose(ctx, s.conn, "after the client's end of stream")) ?? PASS;
  },
};
