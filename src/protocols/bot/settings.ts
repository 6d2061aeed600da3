// bot's variant: the welcome, the reply (fixed, a template over {message}, or `any`) and an end word.
import type { VariantSpec } from '../variant';

export const botVariant: VariantSpec = {
  fields: {
    welcome: { setting: 'botWelcome', kind: { type: 'text|null' } },
    reply: { setting: 'botReply', kind: { type: 'template', required: [], optional: ['message'] } },
    end_word: { setting: 'botEndWord', kind: { type: 'text|null' } },
  },
};
