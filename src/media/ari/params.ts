// Request parameters as Asterisk reads them: path segments, query string, and the fields of a
// JSON body (which override the query string); `variables` comes from the body only. Numbers
// and booleans are read leniently as Asterisk does (atoi / ast_true); declared defaults apply
// when a parameter is absent.
import type { OperationDecl, ParamDecl } from './declarations.js';

export type Params = Record<string, unknown>;

export class BodyError extends Error {
  readonly code = 'ARI_BAD_BODY';
}

function fromQueryText(p: ParamDecl, text: string): unknown {
  switch (p.type) {
    case 'int':
    case 'long': {
      const m = /^\s*[+-]?\d+/.exec(text);
      return m ? Number(m[0]) : 0;
    }
    case 'double':
      return Number.parseFloat(text) || 0;
    case 'boolean':
      return /^(yes|true|y|t|1|on)$/i.test(text.trim());
    default:
      return text;
  }
}

/** A JSON scalar as text (objects as JSON). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function fromJson(p: ParamDecl, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (p.multiple) {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
    return list.filter((v) => v !== null && v !== undefined).map((v) => text(v));
  }
  switch (p.type) {
    case 'int':
    case 'long':
      return typeof value === 'number' ? Math.trunc(value) : fromQueryText(p, text(value));
    case 'double':
      return typeof value === 'number' ? value : fromQueryText(p, text(value));
    case 'boolean':
      return typeof value === 'boolean' ? value : fromQueryText(p, text(value));
    case 'containers':
      return value;
    default:
      return text(value);
  }
}

/** Parses a raw body: JSON object, or nothing. Anything else that claims to be JSON is a 400. */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> | null {
  const text = raw.toString('utf8').trim();
  if (!text) return null;
  if (contentType && !/json/i.test(contentType)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyError('Request body is not valid JSON');
  }
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new BodyError('Request body must be a JSON object');
  return value as Record<string, unknown>;
}

export function parseParams(
  op: OperationDecl,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  body: Record<string, unknown> | null,
): Params {
  const out: Params = {};
  for (const p of op.params) {
    let value: unknown;
    if (p.kind === 'path') value = pathParams[p.name];
    else if (p.kind === 'body') value = body?.[p.name];
    else {
      const texts = query.getAll(p.name);
      if (texts.length) {
        value = p.multiple ? texts.flatMap((t) => t.split(',')) : fromQueryText(p, texts[texts.length - 1]!);
      }
      if (body && p.name in body) value = fromJson(p, body[p.name]) ?? value;
    }
    if (value === undefined && p.default !== undefined) value = p.multiple ? [String(p.default)] : p.default;
    if (value !== undefined) out[p.name] = value;
  }
  return out;
}
