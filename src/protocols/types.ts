// The lesson protocols' settings (the facts a course's variant changes), and the contract of
// src/harness/protocol.ts bound to them. The harness itself knows no protocol.
import type { SessionContext } from '../harness/clause';
import type { Learned } from './kit/learn';
import type { VariantSpec } from './variant';
import type { BuiltinServer as AnyBuiltin, Protocol as AnyProtocol, ServerConfig as AnyServerConfig, ServerFactory as AnyServerFactory } from '../harness/protocol';

export { PROFILES, type Profile, type RunningServer, type ServerState } from '../harness/protocol';

/**
 * The facts a course's variant of the assignments changes (its strings and formats); the
 * course's own are the defaults. Set by flags or a variant file (src/protocols/variant.ts).
 */
export interface Settings {
  /** The hello server's reply (the other seed version uses `Hello, client!`). */
  helloReply: string;
  /** The hello reply as bytes (hex), when it is not text; overrides helloReply. */
  helloReplyHex?: string;
  /** The bot's welcome on connect; null when it sends none. */
  botWelcome: string | null;
  /** The bot's reply: fixed text, or a template where {message} stands for the message. */
  botReply: string;
  /** A message that makes the bot close the session (like `exit`); null when there is none. */
  botEndWord: string | null;
  /** The hello server sends its reply as soon as a client connects, before reading a request. */
  helloBeforeRead: boolean;
  /** The login server's greeting on connect; null when it sends none. */
  authGreeting: string | null;
  /** A login request: a template over {user} and {password} (text, or JSON). */
  authRequest: string;
  /** The users file the login server reads from its working directory. */
  authUsersFile: string;
  /** One line of the users file: a template over {user} and {password}. */
  authUsersLine: string;
  /**
   * Known good logins as `user:password` (split at the first colon), for a server that keeps
   * its own users: the clauses log in with these and derive every wrong login from them, and
   * the tester writes no users file. Empty: the tester generates users and writes the file.
   */
  authLogins: readonly string[];
  /** The student's own users file (an absolute path), copied into the server's folder as authUsersFile. */
  authUsersFrom: string | null;
  /** JSON replies: the field that tells success, and its value on success. */
  authSuccessField: string;
  authSuccessValue: string | number | boolean | null;
  /** Text replies: a text every success reply contains (null: replies are JSON). */
  authSuccessText: string | null;
  /** The upload header: a template over {size} (and {name}); decimal digits in the course. */
  uploadHeader: string;
  /** What the upload server sends after reading the header, before the body (null: nothing). */
  uploadAck: string | null;
  /** framed uploads: the course's msg/file/close transfer, or one JSON header frame then the raw body. */
  uploadFramed: 'course' | 'json-header';
}

export const DEFAULT_SETTINGS: Settings = {
  helloReply: 'hello world',
  botWelcome: '欢迎使用xx系统，请输入您想要办理的业务！',
  botReply: '你说啥？',
  botEndWord: null,
  helloBeforeRead: false,
  authGreeting: '欢迎使用xx系统',
  authRequest: '{user}|{password}',
  authUsersFile: 'db.csv',
  authUsersLine: '{user},{password}',
  authLogins: [],
  authUsersFrom: null,
  authSuccessField: 'status',
  authSuccessValue: true,
  authSuccessText: null,
  uploadHeader: '{size}',
  uploadAck: null,
  uploadFramed: 'course',
};

export type ServerConfig = AnyServerConfig<Settings>;
export type ServerFactory = AnyServerFactory<Settings>;
export type BuiltinServer = AnyBuiltin<Settings>;
export type Protocol = AnyProtocol<Settings>;

/** A lesson protocol: the harness's contract, plus what the command line needs of it. */
export interface LessonProtocol extends Protocol {
  /** The fields a teacher's version of the assignment changes (flags, validation): its settings.ts. */
  variant: VariantSpec;
  /** `sockspec learn`: infers the variant from polite sessions against a working solution. */
  learn(ctx: SessionContext<Settings>): Promise<Learned<Settings>>;
}
