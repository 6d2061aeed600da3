// Reference bot server. lesson: the welcome, then one reply per read (the lesson's message
// boundary), text decoded incrementally so a character split across reads is no error;
// end of stream (or the end word) closes. framed: one reply per whole frame; a bad header
// closes. Strings come from the settings.
import type { RunningServer, ServerConfig } from '../types';
import type { BotSettings } from './settings';
import { finish, serveTcp } from '../kit/serve';
import { FrameDecoder } from '../wire/framing';
import { MAX_MESSAGE, replyBytes, welcomeBytes } from './codec';

export function startBotServer(cfg: ServerConfig<BotSettings>): Promise<RunningServer> {
  const welcome = welcomeBytes(cfg.profile, cfg.settings);
  const endWord = cfg.settings.botEndWord;
  return serveTcp((sock) => {
    if (welcome.length) sock.write(welcome);
    sock.once('end', () => finish(sock));
    /** Answers one message; false when it was the end word (the session is over). */
    const answer = (message: Buffer): boolean => {
      if (endWord !== null && message.toString('utf8').trim() === endWord) {
        finish(sock);
        return false;
      }
      sock.write(replyBytes(cfg.profile, cfg.settings, message));
      return true;
    };
    if (cfg.profile === 'lesson') {
      const text = new TextDecoder('utf-8', { fatal: false });
      sock.on('data', (d: Buffer) => {
        text.decode(d, { stream: true }); // what a real bot would act on; never throws
        answer(d);
      });
      return;
    }
    const frames = new FrameDecoder(MAX_MESSAGE);
    sock.on('data', (d: Buffer) => {
      try {
        for (const f of frames.push(d)) if (!answer(f)) return;
      } catch {
        finish(sock);
      }
    });
  });
}
