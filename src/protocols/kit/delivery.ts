// How a clause hands its bytes to a session as a fault's write plan (faults/ in the harness):
// parameters drawn from the codec's hints, the plan's bytes written as planned, and its ending
// carried out where the clause can judge how the server takes it.
import fc from 'fast-check';
import type { Conn } from '../../harness/conn';
import type { Observation } from '../../harness/clause';
import { describePlan, planOf, type Ending, type WritePlan } from '../../harness/chunk';
import type { Fault, Hints } from '../../harness/faults';
import { endAndExpectClose } from './session';

/** A byte stream and what its codec knows about it (`streamOf`, `messagesStream`). */
export interface Stream {
  bytes: Buffer;
  hints: Hints;
}

/** The fault's parameters for this stream, or null for none (shrinking goes there); always null where it cannot apply. */
export function maybe<P>(fault: Fault<P>, stream: Stream): fc.Arbitrary<P | null> {
  if (fault.appliesTo && !fault.appliesTo(stream.bytes.length, stream.hints)) return fc.constant(null);
  return fc.option(fault.params(stream.bytes.length, stream.hints), { nil: null });
}

/** The stream as one write, with the fault applied (null: as it is). */
export function planFor<P>(fault: Fault<P>, bytes: Buffer, params: P | null): WritePlan {
  const plan = planOf(bytes);
  return params === null ? plan : fault.apply(plan, params);
}

/** The delivery in words: the fault's own (null: the plan's sizes). */
export function describeFor<P>(fault: Fault<P>, plan: WritePlan, params: P | null): string {
  return params === null ? describePlan(plan) : fault.describe(plan, params);
}

/**
 * Writes the plan's bytes as planned. Its ending is left to endAsPlanned: Conn.sendPlan's own
 * would neither wait for the server to read the bytes nor see how the server takes it.
 */
export function sendPlanned(conn: Conn, plan: WritePlan): Promise<boolean> {
  return conn.sendPlan({ ...plan, ending: { kind: 'open' } });
}

/**
 * Carries out a plan's ending once its bytes are sent, observed: after our FIN (a half-close,
 * or a close cut short) the server must close its side (see endAndExpectClose); an RST goes
 * out once the server has read what came before (it must survive it; the runner sees a crash);
 * a stall or an open ending leaves the connection to the clause.
 */
export async function endAsPlanned(conn: Conn, ending: Ending, stepMs: number, resetOk: boolean, what: string): Promise<Observation | null> {
  switch (ending.kind) {
    case 'half-close':
    case 'close':
      return endAndExpectClose(conn, stepMs, resetOk, what);
    case 'reset':
      await conn.pace();
      conn.reset();
      return null;
    default:
      return null;
  }
}
