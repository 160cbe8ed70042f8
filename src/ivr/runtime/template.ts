// `{{path}}` placeholders in flow text, URLs and values, filled from the call's variables.
// Written by hand: the flows need only dotted-path lookup, and the usual template engines
// (mustache, handlebars) escape HTML and add logic flows must not have.

export type Scopeless = Record<string, unknown>;

const placeholder = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

/** Reads `a.b.c` from nested objects; undefined when any part is missing. */
export function lookup(root: Scopeless, dotted: string): unknown {
  let node: unknown = root;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Writes `a.b.c` into nested objects, creating the objects on the way. */
export function assign(root: Scopeless, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Scopeless;
  }
  node[parts[parts.length - 1]!] = value;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Fills every `{{path}}`; missing values become ''. `encode` is applied to each value (URLs). */
export function render(template: string, root: Scopeless, encode?: (s: string) => string): string {
  return template.replace(placeholder, (_m, path: string) => {
    const value = text(lookup(root, path));
    return encode ? encode(value) : value;
  });
}

/**
 * A value that is exactly one placeholder keeps the variable's type (a number stays a number);
 * anything else is rendered as text. Objects and arrays are filled recursively.
 */
export function resolveValue(value: unknown, root: Scopeless): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}$/.exec(value);
    if (whole) return lookup(root, whole[1]!);
    return render(value, root);
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, root));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, root)]));
  }
  return value;
}

/** The variable paths a template reads, for validation. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1]!);
}
