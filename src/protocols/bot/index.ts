// bot (智障客服): a welcome, then one fixed reply per message, until the client leaves.
import type { LessonProtocol } from '../types';
import { botDefaults, botVariant, type BotSettings } from './settings';
import { learnBot } from './learn';
import { framedRobustClauses } from '../kit/framed-clauses';
import { PASS } from '../kit/session';
import { startBotServer } from './server';
import { startBotCourse, startBotFramedOneRead, startBotNoEofCheck } from './variants';
import { welcomeBytes } from './codec';
import { welcome } from './cases/welcome';
import { replyPerMessage } from './cases/reply-per-message';
import { eofCloses } from './cases/eof-closes';
import { splitUtf8 } from './cases/split-utf8';
import { invalidUtf8 } from './cases/invalid-utf8';
import { oversize } from './cases/oversize';
import { reset } from './cases/reset';
import { coalesce } from './cases/coalesce';
import { fragment } from './cases/fragment';
import { idleClientBlocks } from './cases/idle-client-blocks';
import { endWord } from './cases/end-word';
import { splitHeader } from './cases/split-header';
import { endAndCount, openAfter, openBot, REPLY_CLAUSE } from './session';
import { clientClauses } from '../kit/client-clauses';
import { botPlay } from './client-cases/play';

export const bot: LessonProtocol<BotSettings> = {
  name: 'bot',
  title: 'support bot (智障客服): welcome, one reply per message',
  profiles: ['lesson', 'framed'],
  defaults: botDefaults,
  variant: botVariant,
  learn: learnBot,
  clientClauses: clientClauses(botPlay),
  clauses: [
    welcome,
    replyPerMessage,
    eofCloses,
    splitUtf8,
    invalidUtf8,
    oversize,
    reset,
    coalesce,
    fragment,
    idleClientBlocks,
    endWord,
    splitHeader,
    ...framedRobustClauses<BotSettings>({ protocol: 'bot', greeting: (settings) => welcomeBytes('framed', settings) }),
  ],
  builtins: [
    {
      name: 'bot-reference',
      protocol: 'bot',
      profiles: ['lesson', 'framed'],
      faithful: false,
      description: 'reference bot server (incremental decoding, one reply per read or frame)',
      expectedFailures: {},
      start: startBotServer,
    },
    {
      name: 'bot-course',
      protocol: 'bot',
      profiles: ['lesson'],
      faithful: true,
      description: "the course's 智障客服 server: recv(1024) as one message, strict decode",
      expectedFailures: {
        lesson: { 'bot.split-utf8': 'crash', 'bot.invalid-utf8': 'crash', 'bot.oversize': 'crash', 'bot.reset': 'crash', 'bot.coalesce': 'wrong-answer', 'bot.fragment': 'wrong-answer' },
      },
      start: startBotCourse,
    },
    {
      name: 'bot-no-eof-check',
      protocol: 'bot',
      profiles: ['lesson'],
      faithful: true,
      description: "a copy of the course bot without `if not data: break`: it spins on b''",
      // One root cause: every session ends by spinning, so the welcome clause is blocked by it.
      expectedFailures: { lesson: { 'bot.eof-closes': 'busy-loop', 'bot.welcome': 'blocked' } },
      start: startBotNoEofCheck,
    },
    {
      name: 'bot-framed-one-read',
      protocol: 'bot',
      profiles: ['framed'],
      faithful: true,
      description: 'framed bot that takes one recv(1024) as one whole frame',
      expectedFailures: { framed: { 'bot.framed.split-header': 'wrong-answer', 'bot.coalesce': 'wrong-answer', 'bot.fragment': 'wrong-answer' } },
      start: startBotFramedOneRead,
    },
  ],
  probe: async (ctx) => {
    const { s, bad } = await openBot(ctx);
    if (bad) {
      s.conn.close();
      return bad;
    }
    const seen = await endAndCount(ctx, s, { exact: 0 }, 'a polite client');
    return seen.verdict === 'pass' ? PASS : seen;
  },
  // The welcome, one message and its reply: times the server, and finds a missing welcome or reply.
  polite: async (ctx) => {
    const { s, bad } = await openAfter(ctx, 1);
    if (bad) {
      s.conn.close();
      return bad;
    }
    const end = await endAndCount(ctx, s, { exact: 1 }, 'a polite client');
    // A wrong reply count to one polite message is the reply clause's finding.
    return end.verdict === 'wrong-answer' && !end.precondition ? { ...end, precondition: REPLY_CLAUSE } : end;
  },
};
