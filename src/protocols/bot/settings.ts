// bot's variant: the welcome, the reply (fixed, a template over {message}, or `any`) and an end word.
import type { VariantSpec } from '../variant';

/** The facts of bot a course's variant changes; the course's own are botDefaults. */
export interface BotSettings {
  /** The bot's welcome on connect; null when it sends none. */
  botWelcome: string | null;
  /** The bot's reply: fixed text, or a template where {message} stands for the message. */
  botReply: string;
  /** A message that makes the bot close the session (like `exit`); null when there is none. */
  botEndWord: string | null;
}

export const botDefaults: BotSettings = {
  botWelcome: '欢迎使用xx系统，请输入您想要办理的业务！',
  botReply: '你说啥？',
  botEndWord: null,
};

export const botVariant: VariantSpec<BotSettings> = {
  fields: {
    welcome: { setting: 'botWelcome', kind: { type: 'text|null' } },
    reply: { setting: 'botReply', kind: { type: 'template', required: [], optional: ['message'] } },
    end_word: { setting: 'botEndWord', kind: { type: 'text|null' } },
  },
};
