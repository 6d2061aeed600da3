// Coalescing: several messages (or a header and its body) in one write, without waiting.
import fc from 'fast-check';
import { describePlan, planBytes, planCuts, splitAt, type WritePlan } from '../chunk';
import type { Fault } from './types';

/** The plan with the cuts at `joins` removed: the segments on both sides go out as one write. */
export function joinAt(plan: WritePlan, joins: readonly number[]): WritePlan {
  const drop = new Set(joins);
  const old = planCuts(plan);
  const kept = old.map((c, i) => [c, plan.paced[i]] as const).filter(([c]) => !drop.has(c));
  return { segments: splitAt(planBytes(plan), kept.map(([c]) => c)), paced: kept.map(([, p]) => p), ending: plan.ending };
}

export const coalesce: Fault<number[]> = {
  name: 'coalesce',
  description: 'several messages, or a header and its body, sent in one write without waiting for the peer',
  appliesTo: (_length, hints) => hints.messages.length > 0,
  // Which message boundaries to join (at least one).
  params: (_length, hints) => fc.subarray([...hints.messages], { minLength: 1 }),
  boundary: (_length, hints) => (hints.messages.length ? [[...hints.messages]] : []),
  apply: (plan, joins) => joinAt(plan, joins),
  describe: (plan) => describePlan(plan),
};
