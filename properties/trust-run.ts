// Runs `sockspec fuzz` on a server of examples/trust/ and reads its JSON results (shared by
// the bot-slow, bot-slow-strict and bot-styles test files: one file per group so each stays within tap's per-file timeout).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliInProcess, PY } from './helpers';

export interface TrustResults {
  complete: boolean;
  stepMs: number;
  polite: { verdict: string; precondition?: string; slowestReplyMs: number };
  clauses: { id: string; level: string; effectiveLevel?: string; status: string; verdict: string; summary: string; hint?: string; blockedBy?: string; runs: number }[];
}

export interface TrustRun {
  status: number | null;
  out: string;
  results: TrustResults;
}

/** A run's failed clauses, each with its verdict and summary: what a wrong exit status is explained by. */
export function failuresOf(run: TrustRun): string {
  const failed = run.results.clauses.filter((c) => c.status === 'fail');
  const lines = failed.map((c) => `${c.id}: ${c.verdict} (${c.effectiveLevel ?? c.level}): ${c.summary}`);
  return lines.length ? lines.join('\n') : run.out.slice(-800);
}

/** The command in this process: its answer (exit status, output, results) is what the trust tests judge. */
export async function fuzzTrust(tmp: string, protocol: string, file: string, extra: string[]): Promise<TrustRun> {
  const json = path.join(tmp, `${file}-${extra.join('_').replace(/\W/g, '')}.json`);
  const r = await cliInProcess(['fuzz', '--protocol', protocol, '--spawn', `${PY} examples/trust/${file} {port}`, '--seed', '5', '--shrink-time', '2', '--json', json, '--record-dir', path.join(tmp, 'rec'), ...extra], 110_000);
  return { status: r.status, out: r.stdout + r.stderr, results: JSON.parse(readFileSync(json, 'utf8')) as TrustResults };
}
