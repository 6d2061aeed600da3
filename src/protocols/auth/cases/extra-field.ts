import type { Clause } from '../../../harness/clause';
import { planOf } from '../../../harness/chunk';
import type { AuthSettings } from '../settings';
import { knownUserArb } from '../arbitraries';
import { encodeLogin } from '../codec';
import { isJsonTemplate, literals } from '../../template';
import { sendBadAttempt } from '../refuse';

export const extraField: Clause<{ user: string; password: string }, AuthSettings> = {
  id: 'auth.extra-field',
  level: 'ADVISORY',
  profiles: ['lesson', 'framed'],
  zh: { description: '客户端发送正确的用户名和密码，后面再跟第三个字段：`user|password|extra`（仅限文本格式的请求）。', expectation: '这个请求应作为格式错误被拒绝。接受它只算宽松，不算漏洞（建议级 ADVISORY），但因它崩溃则是健壮级（ROBUST）失败。' },
  description: 'A client sends the right user and password followed by a third field: `user|password|extra` (text request formats only).',
  appliesTo: (s) => !isJsonTemplate(s.authRequest),
  expectation: 'The request is refused as malformed. Accepting it is lax rather than a vulnerability (ADVISORY), but crashing on it is a ROBUST failure.',
  arbitrary: (_profile, settings) => knownUserArb(settings),
  run: (ctx, { user, password }) => {
    const sep = literals(ctx.settings.authRequest)[1];
    return sendBadAttempt(ctx, planOf(encodeLogin(ctx, user, `${password}${sep}extra`)), `the right login with a third field (${sep}extra)`);
  },
};
