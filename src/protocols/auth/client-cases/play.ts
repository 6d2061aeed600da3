// auth with sockspec as the server, for testing a student's login client: the greeting, a
// failure reply to the scripted wrong login, a success reply to the right one, then the close.
import { wideText } from '../../../harness/faults';
import { ClientReader, CUT_SHORT, playedMessage, sentWrong, type PlayedWrite, type ServerPlay, type TextChoice } from '../../kit/client-play';
import { encodeLogin, encodeReply } from '../codec';
import type { AuthSettings } from '../settings';

/** The scripted user: a wrong password first, then the right one (two input() calls each: user, then password). */
export const AUTH_ATTEMPTS = [
  { user: 'mei', password: 'jasmine9', ok: false },
  { user: 'mei', password: 'jasmine8', ok: true },
] as const;

const message = (ok: boolean, text: TextChoice) => (text === 'long' ? wideText(3000) : ok ? '登录成功' : '用户名或密码错误');

export const authPlay: ServerPlay<AuthSettings> = {
  protocol: 'auth',
  // Spare empty lines: a client may ask for one more after logging in (input('按回车键退出')).
  script: () => ({ stdin: `${AUTH_ATTEMPTS.flatMap((a) => [a.user, a.password]).join('\n')}\n\n\n` }),
  writes: (settings, profile, text) => {
    const writes: PlayedWrite[] = [];
    const greeting = settings.authGreeting;
    if (greeting !== null) writes.push(playedMessage(profile, greeting, greeting));
    for (const a of AUTH_ATTEMPTS) {
      // The reply as the reference server sends it; lesson bytes are the frame's payload too.
      const wire = encodeReply({ profile: 'lesson', settings }, a.ok, message(a.ok, text));
      writes.push(playedMessage(profile, wire));
    }
    return writes;
  },
  play: async (ctx, ep, sender) => {
    const reader = new ClientReader(ep, ctx);
    let k = 0;
    if (ctx.settings.authGreeting !== null && !(await sender.send(k++))) return CUT_SHORT;
    for (const [i, a] of AUTH_ATTEMPTS.entries()) {
      const what = `attempt ${i + 1} (the user typed ${a.user} and ${a.password})`;
      const wire = encodeLogin({ profile: ctx.profile, settings: ctx.settings }, a.user, a.password);
      if (ctx.profile === 'framed') {
        const f = await reader.frame();
        const payload = wire.subarray(4);
        if (!f.payload?.equals(payload)) return { ...sentWrong(`something else as ${what}`, `a frame holding ${JSON.stringify(payload.toString())}`, f.payload ?? f.bad), over: reader.ended };
      } else {
        const r = await reader.expect(wire);
        if (!r.ok) return { ...sentWrong(`something else as ${what}`, JSON.stringify(wire.toString()), r.got), over: reader.ended };
      }
      if (!(await sender.send(k++))) return CUT_SHORT;
    }
    // Logged in: the course server closes the connection.
    ep.abandon();
    return { verdict: 'pass', summary: 'as expected', over: true };
  },
};
