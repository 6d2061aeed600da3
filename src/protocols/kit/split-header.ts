// One split-header clause for every framed protocol: the client's first message, as frames on
// the wire, arrives with a 4-byte length header cut across segments (the split-header fault), and
// the protocol judges the answer with its own session steps. Each protocol gives a small hook.
import fc from 'fast-check';
import type { Clause, Observation, SessionContext } from '../../harness/clause';
import type { WritePlan } from '../../harness/chunk';
import type { Profile } from '../../harness/protocol';
import { FAULTS } from '../../harness/faults';
import { planFor, type Stream } from './delivery';

export interface SplitHeaderHook<M, S> {
  protocol: string;
  /** The protocol's words where the text differs: what the frame is, and what the server then does (and in Chinese). */
  words: { frame: string; answer: string; zh: { frame: string; answer: string } };
  appliesTo?(settings: S, profile: Profile): boolean;
  needsFiles?: boolean;
  /** The first client message: random ones, and the one the boundary case sends. */
  message(settings: S): fc.Arbitrary<M>;
  boundaryMessage(settings: S): M;
  /** The message as it goes on the wire, with the codec's hints; `aim`: the header to cut (by index, the first by default). */
  stream(w: { profile: Profile; settings: S }, message: M): Stream & { aim?: number };
  /** Sends the planned bytes on a fresh session and judges the server's answer (`sentAs`: the cuts in words). */
  judge(ctx: SessionContext<S>, message: M, plan: WritePlan, sentAs: string): Promise<Observation>;
}

export function splitHeaderClause<M, S>(hook: SplitHeaderHook<M, S>): Clause<{ message: M; cuts: number[] }, S> {
  // Only the aimed header is the fault's to cut inside (it may cut anywhere else too).
  const aimed = (w: { profile: Profile; settings: S }, message: M): Stream => {
    const { bytes, hints, aim = 0 } = hook.stream(w, message);
    return { bytes, hints: { ...hints, headers: [hints.headers[aim]] } };
  };
  return {
    id: `${hook.protocol}.framed.split-header`,
    level: 'MUST',
    profiles: ['framed'],
    zh: {
      description: `${hook.words.zh.frame}的 4 字节长度报头被切在几个段里到达（一次 recv(4) 拿到的不足 4 字节）。`,
      expectation: `服务端一直读到收齐整个报头和数据，然后${hook.words.zh.answer}。`,
    },
    description: `${hook.words.frame} arrives with its 4-byte length header cut across segments (a single recv(4) gets fewer than 4 bytes).`,
    expectation: `The server reads until it has the whole header and body, then ${hook.words.answer}.`,
    faults: [FAULTS.splitHeader.name],
    ...(hook.appliesTo && { appliesTo: hook.appliesTo }),
    ...(hook.needsFiles && { needsFiles: true }),
    arbitrary: (profile, settings) =>
      hook.message(settings).chain((message) => {
        const { bytes, hints } = aimed({ profile, settings }, message);
        return fc.record({ message: fc.constant(message), cuts: FAULTS.splitHeader.params(bytes.length, hints) });
      }),
    // The header cut after every one of its bytes.
    boundary: (profile, settings) => {
      const message = hook.boundaryMessage(settings);
      const { bytes, hints } = aimed({ profile, settings }, message);
      return FAULTS.splitHeader.boundary!(bytes.length, hints).map((cuts) => ({ message, cuts }));
    },
    run: (ctx, { message, cuts }) => {
      const plan = planFor(FAULTS.splitHeader, hook.stream(ctx, message).bytes, cuts);
      return hook.judge(ctx, message, plan, FAULTS.splitHeader.describe(plan, cuts));
    },
  };
}
