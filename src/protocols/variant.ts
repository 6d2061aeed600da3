// A variant of the assignments: the few facts a teacher's version changes (strings and
// formats), as a JSON file or flags, validated with one clear sentence per mistake.
import { readFileSync } from 'node:fs';
import { UsageError } from '../harness/errors';
import { DEFAULT_SETTINGS, type Settings } from './types';

/** The variant file's fields, per protocol, with their JSON types. */
const FIELDS: Record<string, Record<string, 'string' | 'string|null' | 'hex'>> = {
  hello: { reply: 'string', reply_hex: 'hex' },
  bot: { welcome: 'string|null', reply: 'string', end_word: 'string|null' },
};

const PLACEHOLDERS: Record<string, string[]> = { 'bot.reply': ['{message}'] };

export const VARIANT_PROTOCOLS = Object.keys(FIELDS);

function checkTemplate(key: string, value: string): void {
  const allowed = PLACEHOLDERS[key] ?? [];
  for (const m of value.match(/\{[^{}]*\}/g) ?? []) {
    if (!allowed.includes(m)) {
      throw new UsageError(`the ${key.split('.')[1]} template has the unknown placeholder ${m}${allowed.length ? ` (it knows ${allowed.join(', ')})` : ' (it takes none)'}`);
    }
  }
}

/** Settings from a parsed variant object for `protocol` (course defaults for what it omits). */
export function settingsFromVariant(protocol: string, v: unknown, where = 'the variant'): Settings {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${where} must be a JSON object`);
  const obj = v as Record<string, unknown>;
  const fields = FIELDS[protocol];
  if (!fields) throw new UsageError(`variants are not supported for ${protocol} yet (they are for ${VARIANT_PROTOCOLS.join(', ')})`);
  if (obj.protocol !== undefined && obj.protocol !== protocol) throw new UsageError(`${where} is for ${String(obj.protocol)}, not ${protocol}`);
  const s: Settings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'protocol') continue;
    const type = fields[key];
    if (!type) throw new UsageError(`${where} has the unknown field "${key}" (a ${protocol} variant has ${Object.keys(fields).join(', ')})`);
    const ok = type === 'string|null' ? value === null || typeof value === 'string' : typeof value === 'string';
    if (!ok) throw new UsageError(`${where}: "${key}" must be ${type === 'string|null' ? 'a string or null' : 'a string'}, not ${JSON.stringify(value)}`);
    if (type === 'hex' && !/^([0-9a-fA-F]{2})+$/.test(value as string)) throw new UsageError(`${where}: "${key}" must be bytes in hex (like 48690a), not "${String(value)}"`);
  }
  if (protocol === 'hello') {
    if (typeof obj.reply === 'string') s.helloReply = obj.reply;
    if (typeof obj.reply_hex === 'string') s.helloReplyHex = obj.reply_hex.toLowerCase();
    if (s.helloReply === '' && s.helloReplyHex === undefined) throw new UsageError(`${where}: the hello reply cannot be empty`);
  }
  if (protocol === 'bot') {
    if (obj.welcome !== undefined) s.botWelcome = obj.welcome === '' ? null : (obj.welcome as string | null);
    if (typeof obj.reply === 'string') {
      if (obj.reply === '') throw new UsageError(`${where}: the bot reply cannot be empty`);
      checkTemplate('bot.reply', obj.reply);
      s.botReply = obj.reply;
    }
    if (obj.end_word !== undefined) s.botEndWord = obj.end_word === '' ? null : (obj.end_word as string | null);
  }
  return s;
}

/** A variant file's fields, checked (every mistake in it is named with the file). */
export function readVariantFile(protocol: string, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the variant file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`the variant file ${file} is not valid JSON`);
  }
  settingsFromVariant(protocol, v, `the variant file ${file}`);
  return v as Record<string, unknown>;
}

/** The variant file that describes `settings` for `protocol` (what learn writes). */
export function variantOf(protocol: string, s: Settings): Record<string, unknown> {
  if (protocol === 'hello') return s.helloReplyHex !== undefined ? { protocol, reply_hex: s.helloReplyHex } : { protocol, reply: s.helloReply };
  if (protocol === 'bot') return { protocol, welcome: s.botWelcome, reply: s.botReply, end_word: s.botEndWord };
  return { protocol };
}

/** The settings that differ from the course's, in words (for reports). */
export function describeVariant(protocol: string, s: Settings): string {
  const v = variantOf(protocol, s);
  const course = variantOf(protocol, DEFAULT_SETTINGS);
  const diff = Object.entries(v).filter(([k, x]) => k !== 'protocol' && JSON.stringify(x) !== JSON.stringify(course[k]));
  return diff.length ? diff.map(([k, x]) => `${k} = ${JSON.stringify(x)}`).join(', ') : "the course's own strings";
}
