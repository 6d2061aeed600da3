// hello's variant: the reply (text or bytes) and whether it comes before the request.
import type { VariantSpec } from '../variant';

export const helloVariant: VariantSpec = {
  fields: {
    reply: { setting: 'helloReply', kind: { type: 'text' } },
    reply_hex: { setting: 'helloReplyHex', kind: { type: 'hex' } },
    before_read: { setting: 'helloBeforeRead', kind: { type: 'boolean' } },
  },
  // The reply is given as text or as bytes, never both.
  omit: (key, s) => key === 'reply' && s.helloReplyHex !== undefined,
};
