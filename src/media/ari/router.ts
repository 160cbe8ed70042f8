// Finds the declared operation for a method and path under /ari, telling "no such resource"
// (404) from "no such method on it" (405) as Asterisk does.
import { OPERATIONS, type OperationDecl } from './declarations.js';

interface Route {
  op: OperationDecl;
  regex: RegExp;
  names: string[];
  literals: number;
}

const ROUTES: Route[] = OPERATIONS.filter((op) => op.resource !== 'events')
  .map((op) => {
    const names: string[] = [];
    const segments = op.path.split('/').filter(Boolean);
    const pattern = segments
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        // Stored recording names may contain slashes (subfolders); other ids may not.
        return m[1] === 'recordingName' ? '(.+?)' : '([^/]+)';
      })
      .join('/');
    return {
      op,
      regex: new RegExp(`^/${pattern}/?$`),
      names,
      literals: segments.filter((s) => !s.startsWith('{')).length,
    };
  })
  // Literal paths win over parameters: /channels/create is not channel "create".
  .sort((a, b) => b.literals - a.literals);

export type RouteMatch =
  | { kind: 'found'; op: OperationDecl; pathParams: Record<string, string> }
  | { kind: 'no-resource' }
  | { kind: 'no-method' };

export function route(method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.op.method !== method) continue;
    const pathParams: Record<string, string> = {};
    r.names.forEach((name, i) => {
      pathParams[name] = decodeURIComponent(m[i + 1]!);
    });
    return { kind: 'found', op: r.op, pathParams };
  }
  return pathMatched ? { kind: 'no-method' } : { kind: 'no-resource' };
}
