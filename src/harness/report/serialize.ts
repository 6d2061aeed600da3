// Results as JSON: bytes become {hex, text} so any reader can show them exactly.
import type { RunResult } from '../runner/results';

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    const b = Buffer.from((value as { data: number[] }).data);
    return { hex: b.toString('hex'), text: b.toString('utf8') };
  }
  return value;
}

export function resultsToJson(results: RunResult | RunResult[]): string {
  return JSON.stringify(results, jsonReplacer, 2) + '\n';
}
