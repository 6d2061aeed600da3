import type { HelloSettings } from '../settings';
import { splitHeaderClause } from '../../kit/split-header';
import { requestArb } from '../arbitraries';
import { requestStream } from '../codec';
import { sendAndJudge } from '../session';

export const splitHeader = splitHeaderClause<Buffer, HelloSettings>({
  protocol: 'hello',
  words: { frame: 'The request frame', answer: 'replies with the reply frame and closes', zh: { frame: '请求帧', answer: '发回回复帧并关闭连接' } },
  message: () => requestArb(),
  boundaryMessage: () => Buffer.from('hello'),
  stream: ({ profile }, request) => requestStream(profile, request),
  judge: (ctx, _request, plan, sentAs) => sendAndJudge(ctx, plan, `a request frame sent as ${sentAs}`),
});
