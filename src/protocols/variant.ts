// A variant of the assignments: the few facts a teacher's version changes (strings and
// formats), as a JSON file or flags, validated with one clear sentence per mistake.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../harness/errors';
import { placeholders } from './template';
import { findProtocol, PROTOCOLS } from './index';

export type Kind =
  | { type: 'text' } // a non-empty string
  | { type: 'text|null' } // a string, or null (an empty string means none too)
  | { type: 'hex' }
  | { type: 'boolean' }
  | { type: 'scalar' } // a JSON string, number, boolean or null
  | { type: 'file' } // a plain file name
  | { type: 'enum'; values: readonly string[] }
  | { type: 'logins' } // a list of "user:password" strings (the flag is repeated)
  | { type: 'path|null' } // a file to read, or null (kept as an absolute path)
  | { type: 'template'; required: readonly string[]; optional?: readonly string[] };

export interface Field<S = any> {
  setting: keyof S & string;
  kind: Kind;
  /** The flag, when it is not the field's name with dashes (a repeated flag is singular). */
  flag?: string;
}

/** A protocol's variant: its fields, the checks across fields, and which fields a variant file leaves out. */
export interface VariantSpec<S = any> {
  fields: Record<string, Field<S>>;
  /** Checks across fields (and settings derived from them), after each field was checked. */
  check?(where: string, obj: Record<string, unknown>, s: S): void;
  /** A field a variant file leaves out under these settings (one of two alternatives). */
  omit?(key: string, s: S): boolean;
}

/** Each protocol's variant, read from the registry (each protocol's index.ts owns its own). */
const specOf = (protocol: string): VariantSpec | undefined => findProtocol(protocol)?.variant;
const fieldsOf = (protocol: string): Record<string, Field> => specOf(protocol)?.fields ?? {};


const flagOf = (field: string, f?: Field) => f?.flag ?? field.replace(/_/g, '-');

/** Checks one field's value and returns what the setting becomes. */
function checkField(where: string, key: string, kind: Kind, value: unknown): unknown {
  const must = (ok: boolean, what: string) => {
    if (!ok) throw new UsageError(`${where}: "${key}" must be ${what}, not ${JSON.stringify(value)}`);
  };
  switch (kind.type) {
    case 'text':
      must(typeof value === 'string' && value !== '', 'a non-empty string');
      return value;
    case 'text|null':
      must(value === null || typeof value === 'string', 'a string or null');
      return value === '' ? null : value;
    case 'hex':
      must(typeof value === 'string' && /^([0-9a-fA-F]{2})+$/.test(value), 'bytes in hex (like 48690a)');
      return (value as string).toLowerCase();
    case 'boolean':
      must(typeof value === 'boolean', 'true or false');
      return value;
    case 'scalar':
      must(value === null || ['string', 'number', 'boolean'].includes(typeof value), 'a JSON string, number, boolean or null');
      return value;
    case 'file':
      must(typeof value === 'string' && value !== '' && value !== '.' && value !== '..' && !/[\\/\0]/.test(value), 'a plain file name (no folders)');
      return value;
    case 'enum':
      must(typeof value === 'string' && kind.values.includes(value), `one of ${kind.values.map((v) => `"${v}"`).join(', ')}`);
      return value;
    case 'logins': {
      must(Array.isArray(value) && value.every((x) => typeof x === 'string'), 'a list of "user:password" strings');
      const users = new Set<string>();
      for (const login of value as string[]) {
        // The first colon separates: a password may hold colons, a user name may not.
        const colon = login.indexOf(':');
        const how = 'give a login as USER:PASSWORD, like alice:wonderland';
        if (colon < 0) throw new UsageError(`${where}: the login ${JSON.stringify(login)} has no colon (${how})`);
        if (colon === 0) throw new UsageError(`${where}: the login ${JSON.stringify(login)} has an empty user name (${how})`);
        const user = login.slice(0, colon);
        if (users.has(user)) throw new UsageError(`${where}: the user ${JSON.stringify(user)} is given twice in the logins (one password per user)`);
        users.add(user);
      }
      return value;
    }
    case 'path|null':
      must(value === null || (typeof value === 'string' && value !== ''), 'a file name or null');
      return value === null ? null : path.resolve(value as string);
    case 'template': {
      must(typeof value === 'string' && value !== '', 'a non-empty template');
      const known = [...kind.required, ...(kind.optional ?? [])];
      const names = placeholders(value as string);
      const unknown = names.find((n) => !known.includes(n));
      const list = known.map((n) => `{${n}}`).join(', ');
      if (unknown) throw new UsageError(`${where}: the ${key} template has the unknown placeholder {${unknown}} (it knows ${list})`);
      const missing = kind.required.find((n) => !names.includes(n));
      if (missing) throw new UsageError(`${where}: the ${key} template has no {${missing}} placeholder (it needs ${kind.required.map((n) => `{${n}}`).join(' and ')})`);
      return value;
    }
  }
}

/** The settings of a parsed variant object for `protocol` (course defaults for what it omits). */
export function settingsFromVariant(protocol: string, v: unknown, where = 'the variant'): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${where} must be a JSON object`);
  const obj = v as Record<string, unknown>;
  const found = findProtocol(protocol);
  if (!found) throw new UsageError(`variants are for ${PROTOCOLS.map((p) => p.name).join(', ')}, not ${protocol}`);
  const spec = found.variant;
  const fields = spec.fields;
  if (obj.protocol !== undefined && obj.protocol !== protocol) throw new UsageError(`${where} is for ${String(obj.protocol)}, not ${protocol}`);
  const s: Record<string, unknown> = { ...(found.defaults as object) };
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'protocol') continue;
    const field = fields[key];
    if (!field) throw new UsageError(`${where} has the unknown field "${key}" (a ${protocol} variant has ${Object.keys(fields).join(', ')})`);
    s[field.setting] = checkField(where, key, field.kind, value);
  }
  spec.check?.(where, obj, s);
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
export function variantOf(protocol: string, s: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { protocol };
  const spec = specOf(protocol);
  for (const [key, field] of Object.entries(spec?.fields ?? {})) {
    const value = (s as Record<string, unknown>)[field.setting];
    if (value === undefined || spec?.omit?.(key, s)) continue;
    out[key] = value;
  }
  return out;
}

/** The variant fields whose values differ from the course's. */
function variantDiff(protocol: string, s: unknown): [string, unknown][] {
  const course = variantOf(protocol, findProtocol(protocol)?.defaults);
  return Object.entries(variantOf(protocol, s)).filter(([k, x]) => k !== 'protocol' && JSON.stringify(x) !== JSON.stringify(course[k]));
}

/** The settings that differ from the course's, in words (for reports). */
export function describeVariant(protocol: string, s: unknown): string {
  const diff = variantDiff(protocol, s);
  return diff.length ? diff.map(([k, x]) => `${k} = ${JSON.stringify(x)}`).join(', ') : "the course's own strings";
}

/** Every variant flag of every protocol: the field it sets, and whether it sets it to null (`--no-…`). */
type FlagInfo = { key: string; none: boolean; kind: 'string' | 'boolean' | 'list' };
let flagTable: Map<string, FlagInfo> | undefined;
/** Built on first use: the registry's protocols are all loaded by then. */
function flags(): Map<string, FlagInfo> {
  if (flagTable) return flagTable;
  flagTable = new Map();
  for (const p of PROTOCOLS) {
    for (const [key, f] of Object.entries(p.variant.fields)) {
      flagTable.set(flagOf(key, f), { key, none: false, kind: f.kind.type === 'boolean' ? 'boolean' : f.kind.type === 'logins' ? 'list' : 'string' });
      if (f.kind.type === 'text|null') flagTable.set(`no-${flagOf(key)}`, { key, none: true, kind: 'boolean' });
    }
  }
  return flagTable;
}

/** Each protocol's variant flags, for --help (one line per protocol). */
export function variantFlagHelp(): string[] {
  return PROTOCOLS.filter((p) => Object.keys(p.variant.fields).length).map((p) => {
    const words = Object.entries(p.variant.fields).flatMap(([key, f]) => {
      const flag = `--${flagOf(key, f)}${f.kind.type === 'logins' ? ' USER:PASSWORD...' : f.kind.type === 'path|null' ? ' PATH' : ''}`;
      return f.kind.type === 'text|null' ? [flag, `--no-${flagOf(key)}`] : [flag];
    });
    return `${p.name} ${words.join(' ')}`;
  });
}

/** Every variant flag with its kind, for the flag parser. */
export function variantFlagKinds(): Record<string, 'string' | 'boolean' | 'list'> {
  return Object.fromEntries([...flags()].map(([flag, f]) => [flag, f.kind]));
}

/** The variant fields the given flags set for `protocol`; a flag of another protocol is an error. */
export function variantFromFlags(protocol: string, given: Record<string, unknown>): Record<string, unknown> {
  const fields = fieldsOf(protocol);
  const out: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(given)) {
    const known = flags().get(flag);
    if (!known || value === undefined || value === false) continue;
    const { key, none } = known;
    const field = fields[key];
    if (!field) {
      const own = Object.entries(fields).map(([k, x]) => `--${flagOf(k, x)}`);
      throw new UsageError(`--${flag} is not a setting of ${protocol} (${own.length ? `${protocol} takes ${own.join(', ')}` : `${protocol} has no variant settings`})`);
    }
    // A success value is JSON when it reads as JSON (true, 200, "ok"), else the text itself.
    let v: unknown = none ? null : value;
    if (field.kind.type === 'scalar' && typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        // a bare word: the text itself
      }
    }
    out[key] = v;
  }
  return out;
}

/** The flags that select `settings` for `protocol` on a command line (what differs from the course). */
export function variantArgs(protocol: string, settings: unknown): string[] {
  const args: string[] = [];
  for (const [key, value] of variantDiff(protocol, settings)) {
    const field = fieldsOf(protocol)[key];
    const kind = field.kind.type;
    if (value === null) args.push(`--no-${flagOf(key)}`);
    else if (kind === 'boolean') args.push(...(value ? [`--${flagOf(key)}`] : []));
    else if (kind === 'logins') for (const login of value as string[]) args.push(`--${flagOf(key, field)}`, login);
    else args.push(`--${flagOf(key)}`, kind === 'scalar' ? JSON.stringify(value) : String(value));
  }
  return args;
}
