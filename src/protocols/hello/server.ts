// Reference hello server. lesson: reply after the first bytes, close our side, then drain what
// the client still sends (closing with unread data would reset the client and lose the reply).
// framed: reply once a whole request frame has arrived; bad headers close the connection.
import type { ServerConfig, RunningServer } from '../types';
import type { HelloSettings } from './settings';
import { finish, serveTcp } from '../kit/serve';
import { FrameDecoder } from '../wire/framing';
import { encodeReply, MAX_REQUEST } from './codec';

export function startHelloServer(cfg: ServerConfig<HelloSettings>): Promise<RunningServer> {
  const reply = encodeReply(cfg.profile, cfg.settings);
  return serveTcp((sock) => {
    let done = false;
    const answer = () => {
      if (done) return;
      done = true;
      sock.write(reply);
      finish(sock);
    };
    if (cfg.settings.helloBeforeRead) {
      // A variant: the reply on connect; what the client sends is drained by finish().
      return answer();
    }
    if (cfg.profile === 'lesson') {
      sock.once('data', answer);
      sock.once('end', answer);
      return;
    }
    const frames = new FrameDecoder(MAX_REQUEST);
    sock.on('data', (d: Buffer) => {
      try {
        if (frames.push(d).length) answer();
      } catch {
        done = true;
        finish(sock);
      }
    });
    sock.once('end', () => {
      done = true;
      finish(sock);
    });
  });
}
