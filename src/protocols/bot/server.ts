// Reference bot server. lesson: the welcome, then one reply per read (the lesson's message
// boundary), text decoded incrementally so a character split across reads is no error;
// end of stream closes. framed: one reply per whole frame; a bad header closes.
import type { RunningServer, ServerConfig } from '../types';
import { finish, serveTcp } from '../kit/serve';
import { FrameDecoder } from '../wire/framing';
import { MAX_MESSAGE, replyBytes, welcomeBytes } from './codec';

export function startBotServer(cfg: ServerConfig): Promise<RunningServer> {
  const welcome = welcomeBytes(cfg.profile);
  const reply = replyBytes(cfg.profile);
  return serveTcp((sock) => {
    sock.write(welcome);
    sock.once('end', () => finish(sock));
    if (cfg.profile === 'lesson') {
      const text = new TextDecoder('utf-8', { fatal: false });
      sock.on('data', (d: Buffer) => {
        text.decode(d, { stream: true }); // what a real bot would act on; never throws
        sock.write(reply);
      });
      return;
    }
    const frames = new FrameDecoder(MAX_MESSAGE);
    sock.on('data', (d: Buffer) => {
      try {
        for (let n = frames.push(d).length; n > 0; n--) sock.write(reply);
      } catch {
        finish(sock);
      }
    });
  });
}
