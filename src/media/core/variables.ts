// Channel variables and the few dialplan functions a controller reads or sets over ARI
// (GET /channels/{id}/variable?variable=CALLERID(num)). Plain variables are strings; a name
// ending in ")" is a function call, as in Asterisk.
import { badRequest, CoreError } from './errors.js';

export interface PartyId {
  name: string;
  number: string;
}

/** What the functions need from the channel they act on. */
export interface FunctionTarget {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly technology: string;
  language: string;
  caller: PartyId;
  connected: PartyId;
  talkDetect: boolean;
  readonly dialplan: { context: string; exten: string; priority: number };
  /** RTP addresses of SIP and external media channels (CHANNEL(rtp,src|dest)). */
  readonly rtpLocal?: { address: string; port: number } | null;
  readonly rtpRemote?: { address: string; port: number } | null;
}

export interface FunctionEffects {
  /** The caller id changed (Asterisk sends ChannelCallerId). */
  callerChanged?: boolean;
  connectedChanged?: boolean;
  /** TALK_DETECT was set (with Asterisk's thresholds) or removed (null). */
  talkDetection?: { silenceMs?: number; threshold?: number } | null;
}

const FUNCTION = /^([A-Z_]+)\((.*)\)$/i;

export function isFunctionCall(name: string): boolean {
  return name.endsWith(')');
}

function parseCall(expr: string): { fn: string; arg: string } {
  const m = FUNCTION.exec(expr.trim());
  if (!m) throw badRequest(`"${expr}" is not a function call`);
  return { fn: m[1]!.toUpperCase(), arg: m[2]!.trim() };
}

function partyField(party: PartyId, arg: string, fn: string): string {
  switch (arg.toLowerCase()) {
    case 'num':
    case 'number':
      return party.number;
    case 'name':
      return party.name;
    case 'all':
      return party.name ? `"${party.name}" <${party.number}>` : party.number;
    default:
      throw unknownFunction(`${fn}(${arg})`);
  }
}

function unknownFunction(expr: string): CoreError {
  return new CoreError(
    'BAD_REQUEST',
    `Unable to read provided function: ${expr} is not supported (CALLERID, CONNECTEDLINE, CHANNEL, TALK_DETECT are)`,
  );
}

/** Reads a dialplan function. Throws a 400 CoreError for a function Hotline does not have. */
export function readFunction(target: FunctionTarget, expr: string): string {
  const { fn, arg } = parseCall(expr);
  switch (fn) {
    case 'CALLERID':
      return partyField(target.caller, arg, fn);
    case 'CONNECTEDLINE':
      return partyField(target.connected, arg, fn);
    case 'CHANNEL':
      switch (arg.toLowerCase()) {
        case 'name':
          return target.name;
        case 'uniqueid':
        case 'linkedid':
          return target.id;
        case 'state':
          return target.state;
        case 'language':
          return target.language;
        case 'channeltype':
          return target.technology;
        case 'context':
          return target.dialplan.context;
        case 'exten':
          return target.dialplan.exten;
        case 'rtp,src':
        case 'rtp,src,audio':
          return target.rtpLocal ? `${target.rtpLocal.address}:${target.rtpLocal.port}` : '';
        case 'rtp,dest':
        case 'rtp,dest,audio':
          return target.rtpRemote ? `${target.rtpRemote.address}:${target.rtpRemote.port}` : '';
        default:
          throw unknownFunction(expr);
      }
    case 'TALK_DETECT':
      return target.talkDetect ? '1' : '0';
    default:
      throw unknownFunction(expr);
  }
}

/** Sets through a dialplan function. Throws 400 "Failed to execute function" like Asterisk. */
export function writeFunction(target: FunctionTarget, expr: string, value: string): FunctionEffects {
  const { fn, arg } = parseCall(expr);
  const failed = () => badRequest('Failed to execute function');
  switch (fn) {
    case 'CALLERID':
    case 'CONNECTEDLINE': {
      const party = fn === 'CALLERID' ? target.caller : target.connected;
      const key = arg.toLowerCase();
      if (key === 'num' || key === 'number') party.number = value;
      else if (key === 'name') party.name = value;
      else if (key === 'all') {
        const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(value);
        party.name = m ? m[1]! : '';
        party.number = m ? m[2]! : value;
      } else throw failed();
      return fn === 'CALLERID' ? { callerChanged: true } : { connectedChanged: true };
    }
    case 'CHANNEL':
      if (arg.toLowerCase() !== 'language') throw failed();
      target.language = value;
      return {};
    case 'TALK_DETECT':
      if (arg.toLowerCase() === 'remove') {
        target.talkDetect = false;
        return { talkDetection: null };
      }
      if (arg.toLowerCase() !== 'set') throw failed();
      target.talkDetect = true;
      {
        // TALK_DETECT(set)=[dsp_silence_threshold[,dsp_talking_threshold]]
        const [silence, talking] = value.split(',').map((v) => (v.trim() ? Number(v) : undefined));
        if ([silence, talking].some((n) => n !== undefined && !(Number.isFinite(n) && n >= 0)))
          throw failed();
        return {
          talkDetection: {
            ...(silence !== undefined ? { silenceMs: silence } : {}),
            ...(talking !== undefined ? { threshold: talking } : {}),
          },
        };
      }
    default:
      throw failed();
  }
}
