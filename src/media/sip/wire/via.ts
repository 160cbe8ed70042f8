// The top Via: where a response goes (RFC 3261 §18.2.2 with RFC 3581 rport), as text. The server
// transport stamps `received` and `rport` on every request it takes in, the way Asterisk does
// with force_rport, so responses return to the address and port the request really came from
// (NAT, or a peer sending from another port than its Via says).

/** Splits the first via-parm off a Via header value that may list several. */
function firstViaParm(value: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) return [value.slice(0, i), value.slice(i)];
  }
  return [value, ''];
}

/**
 * Our own Via parameter naming the flow a request arrived on (`udp`, or `tcp.<connection>`),
 * so its response goes back the same way whatever transport the Via claims. It never leaves
 * the process: stripFlowParam takes it out of every message we send.
 */
export const FLOW_PARAM = 'hotline-flow';

/** Sets `received` and `rport` (and our flow marker) on the first via-parm of a Via value. */
export function stampVia(value: string, address: string, port: number, flow?: string): string {
  const [first, rest] = firstViaParm(value);
  const kept = first
    .split(';')
    .filter((part, i) => i === 0 || !/^\s*(received|rport|hotline-flow)\s*(=|$)/i.test(part))
    .map((part) => part.trim())
    .join(';');
  return `${kept};received=${address};rport=${port}${flow ? `;${FLOW_PARAM}=${flow}` : ''}${rest}`;
}

/** Removes our flow marker from an outgoing message. */
export function stripFlowParam(message: string): string {
  return message.replace(/;hotline-flow=[A-Za-z0-9.]+/, '');
}

export interface TopVia {
  transport: string;
  host: string;
  port: number | undefined;
  branch: string | undefined;
  received: string | undefined;
  rport: number | undefined;
  /** Our flow marker, when we stamped this Via. */
  flow: string | undefined;
}

/** Reads the first via-parm of a Via value: `SIP/2.0/UDP host:port;branch=...;received=...;rport=...`. */
export function readVia(value: string): TopVia | null {
  const [first] = firstViaParm(value);
  const [sent = '', ...params] = first.split(';');
  const match =
    /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s:]+)(?:\s*:\s*(\d{1,5}))?\s*$/i.exec(sent);
  if (!match) return null;
  const param = (name: string) => {
    for (const p of params) {
      const [k = '', v] = p.split('=');
      if (k.trim().toLowerCase() === name) return v === undefined ? '' : v.trim();
    }
    return undefined;
  };
  const rport = param('rport');
  return {
    transport: match[1]!.toUpperCase(),
    host: match[2]!.replace(/^\[|\]$/g, ''),
    port: match[3] ? Number(match[3]) : undefined,
    branch: param('branch'),
    received: param('received') || undefined,
    rport: rport ? Number(rport) : undefined,
    flow: param(FLOW_PARAM),
  };
}

/** The value of the first Via header in a message we are about to send, unfolded. */
export function topViaOf(message: string): string | undefined {
  const match = /\r\n(?:Via|v)[ \t]*:[ \t]*([^\r\n]*(?:\r\n[ \t]+[^\r\n]*)*)/i.exec(message);
  return match?.[1]?.replace(/\r\n[ \t]+/g, ' ');
}
