// hello's variant: the reply (text or bytes) and whether it comes before the request.
import type { VariantSpec } from '../variant';

/** The facts of hello a course's variant changes; the course's own are helloDefaults. */
export interface HelloSettings {
  /** The hello server's reply (the other seed version uses `Hello, client!`). */
  helloReply: string;
  /** The hello reply as bytes (hex), when it is not text; overrides helloReply. */
  helloReplyHex?: string;
  /** The hello server sends its reply as soon as a client connects, before reading a request. */
  helloBeforeRead: boolean;
}

export const helloDefaults: HelloSettings = {
  helloReply: 'hello world',
  helloBeforeRead: false,
};

export const helloVariant: VariantSpec<HelloSettings> = {
  fields: {
    reply: { setting: 'helloReply', kind: { type: 'text' } },
    reply_hex: { setting: 'helloReplyHex', kind: { type: 'hex' } },
    before_read: { setting: 'helloBeforeRead', kind: { type: 'boolean' } },
  },
  // The reply is given as text or as bytes, never both.
  omit: (key, s) => key === 'reply' && s.helloReplyHex !== undefined,
};
