// How an ARI operation is declared (its path, nickname, parameters and response class, as in
// Asterisk 22's API declarations), and a shorthand to write the declarations compactly.

export type ParamType = 'string' | 'int' | 'long' | 'boolean' | 'containers' | 'double';
export type ParamKind = 'path' | 'query' | 'body';

export interface ParamDecl {
  name: string;
  type: ParamType;
  kind: ParamKind;
  required: boolean;
  /** Comma-separated list (or repeated parameter, or JSON array). */
  multiple: boolean;
  default?: string | number | boolean;
  values?: readonly string[];
}

export interface OperationDecl {
  resource: string;
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  nickname: string;
  responseClass: string;
  summary: string;
  params: ParamDecl[];
}

/**
 * Parameter shorthand: "name*:type" (required), "name:type[]" (multiple),
 * "name:type=default", "name:type{a|b|c}" (allowed values), "@name:containers" (JSON body).
 * Path parameters are those named in the path.
 */
export function params(path: string, specs: string[]): ParamDecl[] {
  return specs.map((spec) => {
    const m = /^(@)?([A-Za-z_]+)(\*)?:([a-z]+)(\[\])?(?:\{([^}]*)\})?(?:=(.*))?$/.exec(spec);
    if (!m) throw new Error(`bad parameter spec ${spec}`);
    const [, body, name, required, type, multiple, values, def] = m;
    const kind: ParamKind = body ? 'body' : path.includes(`{${name}}`) ? 'path' : 'query';
    const decl: ParamDecl = {
      name: name!,
      type: type as ParamType,
      kind,
      required: Boolean(required) || kind === 'path',
      multiple: Boolean(multiple),
    };
    if (values) decl.values = values.split('|');
    if (def !== undefined)
      decl.default =
        type === 'int' || type === 'long' ? Number(def) : type === 'boolean' ? def === 'true' : def;
    return decl;
  });
}

export function op(
  resource: string,
  method: OperationDecl['method'],
  path: string,
  nickname: string,
  responseClass: string,
  summary: string,
  specs: string[] = [],
): OperationDecl {
  return { resource, method, path, nickname, responseClass, summary, params: params(path, specs) };
}
