// Lesson-faithful bots, written the way the course writes them.
import type { RunningServer, ServerConfig } from '../types';
import type { BotSettings } from './settings';
import { pyDecode, runPythonStyle } from '../kit/python-style';
import { REPLY, WELCOME, replyBytes, welcomeBytes } from './codec';
// The variants are the course's code: they use the course's own strings, whatever the settings.

/** day20's 智障客服: recv(1024) is one message, decoded strictly, one reply each; b'' ends. */
export function startBotCourse(_cfg: ServerConfig<BotSettings>): Promise<RunningServer> {
  return runPythonStyle('bot_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      await conn.sendall(Buffer.from(WELCOME));
      for (;;) {
        const data = await conn.recv(1024);
        if (data.length === 0) break;
        pyDecode(data);
        await conn.sendall(Buffer.from(REPLY));
      }
      conn.close();
    }
  });
}

/** A student's copy that lost `if not data: break`: after the client's end, recv returns b'' forever. */
export function startBotNoEofCheck(_cfg: ServerConfig<BotSettings>): Promise<RunningServer> {
  return runPythonStyle('bot_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      await conn.sendall(Buffer.from(WELCOME));
      for (;;) {
        const data = await conn.recv(1024);
        if (data.length > 0) await conn.sendall(Buffer.from(REPLY));
      }
    }
  });
}

/** Framed bot that takes one recv(1024) as one whole frame: header and body read together. */
export function startBotFramedOneRead(_cfg: ServerConfig<BotSettings>): Promise<RunningServer> {
  return runPythonStyle('bot_framed_server.py', async (sock) => {
    for (;;) {
      const conn = await sock.accept();
      await conn.sendall(welcomeBytes('framed'));
      for (;;) {
        const data = await conn.recv(1024);
        if (data.length === 0) break;
        await conn.sendall(replyBytes('framed'));
      }
      conn.close();
    }
  });
}
