// The contract of src/harness/protocol.ts as the lesson protocols use it, plus what the command
// line needs of a protocol. Each protocol owns its settings (the facts a course's variant
// changes) and their defaults in its settings.ts; the harness itself knows no protocol.
import type { SessionContext } from '../harness/clause';
import type { Learned } from './kit/learn';
import type { VariantSpec } from './variant';
import type { Protocol } from '../harness/protocol';

export { PROFILES, type BuiltinServer, type Profile, type Protocol, type RunningServer, type ServerConfig, type ServerFactory, type ServerState } from '../harness/protocol';

/** A lesson protocol over its settings S: the harness's contract, plus what the command line needs of it. */
export interface LessonProtocol<S = unknown> extends Protocol<S> {
  /** The course's own settings (what flags and a variant file start from): its settings.ts. */
  defaults: S;
  /** The fields a teacher's version of the assignment changes (flags, validation): its settings.ts. */
  variant: VariantSpec<S>;
  /** `sockspec learn`: infers the variant from polite sessions against a working solution. */
  learn(ctx: SessionContext<S>): Promise<Learned<S>>;
}
