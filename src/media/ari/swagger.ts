// Serves the swagger resource listing (GET /ari/api-docs/resources.json) and one API
// declaration per resource (GET /ari/api-docs/{resource}.json), built from the declarations
// table, in the shape Asterisk serves them (what ari-client expects to read).
import { OPERATIONS, RESOURCES, type ParamDecl } from './declarations.js';
import { MODELS } from './models.js';

const API_VERSION = '10.0.0';
const SWAGGER_VERSION = '1.2';

export function resourceListing(basePath: string): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    swaggerVersion: SWAGGER_VERSION,
    basePath,
    apis: RESOURCES.map((r) => ({ path: `/api-docs/${r.name}.{format}`, description: r.description })),
  };
}

function paramJson(p: ParamDecl): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: p.name,
    paramType: p.kind,
    required: p.required,
    allowMultiple: p.multiple,
    dataType: p.type,
  };
  if (p.default !== undefined) out.defaultValue = p.default;
  if (p.values) out.allowableValues = { valueType: 'LIST', values: p.values };
  return out;
}

/** The API declaration of one resource, or null for a resource Hotline does not serve. */
export function apiDeclaration(resource: string, basePath: string): Record<string, unknown> | null {
  if (!RESOURCES.some((r) => r.name === resource)) return null;
  const byPath = new Map<string, Record<string, unknown>[]>();
  for (const op of OPERATIONS.filter((o) => o.resource === resource)) {
    const ops = byPath.get(op.path) ?? [];
    ops.push({
      httpMethod: op.method,
      summary: op.summary,
      nickname: op.nickname,
      responseClass: op.responseClass,
      parameters: op.params.map(paramJson),
      ...(op.resource === 'events' ? { upgrade: 'websocket', websocketProtocol: 'ari' } : {}),
    });
    byPath.set(op.path, ops);
  }
  const models = Object.fromEntries((MODELS[resource] ?? []).map((m) => [m.id, m]));
  return {
    apiVersion: API_VERSION,
    swaggerVersion: SWAGGER_VERSION,
    basePath,
    resourcePath: `/api-docs/${resource}.{format}`,
    requiresModules: [],
    apis: [...byPath.entries()].map(([path, operations]) => ({ path, description: path, operations })),
    models,
  };
}
