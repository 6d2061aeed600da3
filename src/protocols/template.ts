// Templates of a course variant: text with placeholders like {user} or {size}. A template that
// is JSON once its placeholders are filled (`{"filename": "{name}", "filesize": {size}}`) is a
// JSON template: values substituted inside its strings are escaped, and matching parses JSON.

/** A placeholder: a name in braces. JSON's own braces never look like one (they hold quotes). */
const PLACEHOLDER = /\{(\w+)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Replaces each placeholder; `quoted` tells whether it stands inside a (JSON) string. */
function fill(template: string, by: (name: string, quoted: boolean, whole: string) => string): string {
  return template.replace(PLACEHOLDER, (whole, name: string, at: number) => by(name, template[at - 1] === '"', whole));
}

/** The template with every placeholder filled by a harmless sample (a string, or 0 when bare). */
function sample(template: string): string {
  return fill(template, (name, quoted) => (quoted ? name : '0'));
}

/** Answers by template: asked for every message rendered or matched, and a text template's answer is a thrown parse error. */
const jsonTemplates = new Map<string, boolean>();

/** True when the filled template is a JSON object or array. */
export function isJsonTemplate(template: string): boolean {
  let json = jsonTemplates.get(template);
  if (json === undefined) {
    try {
      const v: unknown = JSON.parse(sample(template));
      json = !!v && typeof v === 'object';
    } catch {
      json = false;
    }
    if (jsonTemplates.size >= 1000) jsonTemplates.clear(); // a run has a handful; never a leak
    jsonTemplates.set(template, json);
  }
  return json;
}

/** Fills the placeholders; inside a JSON template, string values are escaped as JSON. */
export function render(template: string, values: Record<string, string | number>): string {
  const json = isJsonTemplate(template);
  return fill(template, (name, quoted, whole) => {
    if (!(name in values)) return whole;
    const v = values[name];
    return json && typeof v === 'string' && quoted ? JSON.stringify(v).slice(1, -1) : String(v);
  });
}

/** The literal text between placeholders (for a text template): what separates the fields. */
export function literals(template: string): string[] {
  return template.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The values a text matches the template with, or null. Text templates match exactly, each
 * field lazily except the last; JSON templates match by parsed structure (the key order and
 * spacing of the text do not matter, extra keys do not either).
 */
export function match(template: string, text: string): Record<string, string> | null {
  if (isJsonTemplate(template)) return matchJson(template, text);
  const names = placeholders(template);
  const parts = literals(template);
  const pattern = parts.map((p, i) => (i === 0 ? '' : i === parts.length - 1 ? '([\\s\\S]*)' : '([\\s\\S]*?)') + escapeRegex(p)).join('');
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) return null;
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = m[i + 1]));
  return out;
}

function matchJson(template: string, text: string): Record<string, string> | null {
  const MARK = '\u2063';
  let shape: unknown;
  let value: unknown;
  try {
    shape = JSON.parse(fill(template, (name, quoted) => (quoted ? `${MARK}${name}` : `"${MARK}${name}"`)));
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const out: Record<string, string> = {};
  const walk = (s: unknown, v: unknown): boolean => {
    if (typeof s === 'string' && s.startsWith(MARK)) {
      if (typeof v !== 'string' && typeof v !== 'number') return false;
      out[s.slice(1)] = String(v);
      return true;
    }
    if (s && typeof s === 'object') {
      if (!v || typeof v !== 'object' || Array.isArray(s) !== Array.isArray(v)) return false;
      return Object.entries(s).every(([k, x]) => k in (v as object) && walk(x, (v as Record<string, unknown>)[k]));
    }
    return JSON.stringify(s) === JSON.stringify(v);
  };
  return walk(shape, value) ? out : null;
}
