// SDP offer/answer (RFC 4566, RFC 3264) for one audio stream: PCMU, PCMA, G.722, L16/16000 and
// telephone-event. Pure functions over text: no sockets, no call state. Written by hand because
// the npm SDP parsers (sdp-transform and kin) parse but do not negotiate, and negotiation is the
// part that decides what a call sounds like.
import type { Codec, LocalMedia, NegotiatedMedia } from './contract.js';

export type Direction = NegotiatedMedia['direction'];

interface CodecInfo {
  encoding: string;
  /** RTP timestamp clock as written in SDP. */
  clockRate: number;
  sampleRate: 8000 | 16000;
  /** RFC 3551 static payload type, if any; otherwise we offer `dynamicPt`. */
  staticPt?: number;
  dynamicPt?: number;
}

const CODECS: Record<Codec, CodecInfo> = {
  PCMU: { encoding: 'PCMU', clockRate: 8000, sampleRate: 8000, staticPt: 0 },
  PCMA: { encoding: 'PCMA', clockRate: 8000, sampleRate: 8000, staticPt: 8 },
  // RFC 3551 §4.5.2: G.722 is written G722/8000 for history's sake; the audio is 16 kHz.
  G722: { encoding: 'G722', clockRate: 8000, sampleRate: 16000, staticPt: 9 },
  L16: { encoding: 'L16', clockRate: 16000, sampleRate: 16000, dynamicPt: 96 },
};

export const ALL_CODECS: readonly Codec[] = ['PCMU', 'PCMA', 'G722', 'L16'];
const TELEPHONE_EVENT_PT = 101;
const DEFAULT_PTIME = 20;

export interface RtpMap {
  encoding: string;
  clockRate: number;
  channels: number;
}

export interface SdpMedia {
  type: string;
  port: number;
  proto: string;
  formats: string[];
  connection: string | null;
  rtpmaps: Map<number, RtpMap>;
  ptime: number | null;
  direction: Direction | null;
}

export interface SdpSession {
  connection: string | null;
  direction: Direction | null;
  media: SdpMedia[];
}

/** SDP origin fields we keep per call so every new description bumps the version (RFC 3264 §8). */
export interface SdpOrigin {
  sessionId: string;
  version: number;
}

const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

function parseConnection(value: string): string | null {
  // c=<nettype> <addrtype> <connection-address>[/ttl][/count]
  const [net, , address] = value.trim().split(/\s+/);
  if (net !== 'IN' || !address) return null;
  return address.split('/')[0] ?? null;
}

function parseRtpMap(value: string): [number, RtpMap] | null {
  const match = /^(\d{1,3})\s+([^/\s]+)(?:\/(\d+))?(?:\/(\d+))?/.exec(value.trim());
  if (!match) return null;
  return [
    Number(match[1]),
    {
      encoding: match[2]!.toUpperCase(),
      clockRate: match[3] ? Number(match[3]) : 0,
      channels: match[4] ? Number(match[4]) : 1,
    },
  ];
}

function parseMediaLine(value: string): SdpMedia | null {
  const [type, portText, proto, ...formats] = value.trim().split(/\s+/);
  if (!type || !portText || !proto) return null;
  const port = Number(portText.split('/')[0]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  return { type, port, proto, formats, connection: null, rtpmaps: new Map(), ptime: null, direction: null };
}

function applyAttribute(target: SdpMedia | SdpSession, attribute: string): void {
  const colon = attribute.indexOf(':');
  const name = colon < 0 ? attribute : attribute.slice(0, colon);
  const value = colon < 0 ? '' : attribute.slice(colon + 1);
  if (DIRECTIONS.has(name)) {
    target.direction = name as Direction;
    return;
  }
  if (!('rtpmaps' in target)) return;
  if (name === 'rtpmap') {
    const parsed = parseRtpMap(value);
    if (parsed) target.rtpmaps.set(parsed[0], parsed[1]);
  } else if (name === 'ptime') {
    const ptime = Number(value);
    if (Number.isInteger(ptime) && ptime >= 10 && ptime <= 200) target.ptime = ptime;
  }
}

/** Parses an SDP body; null when it is not SDP at all (no v=0, or no parsable m= line). */
export function parseSdp(text: string): SdpSession | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== 'v=0') return null;
  const session: SdpSession = { connection: null, direction: null, media: [] };
  let current: SdpMedia | null = null;
  for (const line of lines) {
    if (line.length < 2 || line[1] !== '=') continue;
    const kind = line[0];
    const value = line.slice(2);
    if (kind === 'm') {
      current = parseMediaLine(value);
      if (current) session.media.push(current);
    } else if (kind === 'c') {
      if (current) current.connection = parseConnection(value);
      else session.connection = parseConnection(value);
    } else if (kind === 'a') {
      applyAttribute(current ?? session, value);
    }
  }
  return session.media.length > 0 ? session : null;
}

/** The codec a payload type stands for in this m= line, or null when Hotline has no such codec. */
function codecOfPayload(media: SdpMedia, pt: number): Codec | null {
  const map = media.rtpmaps.get(pt);
  if (!map) {
    for (const codec of ALL_CODECS) if (CODECS[codec].staticPt === pt) return codec;
    return null;
  }
  for (const codec of ALL_CODECS) {
    const info = CODECS[codec];
    if (map.encoding !== info.encoding || map.channels !== 1) continue;
    if (map.clockRate === info.clockRate || (map.clockRate === 0 && info.staticPt === pt)) return codec;
  }
  return null;
}

/** telephone-event's payload type: at 8000 Hz as we offer it, else at the audio codec's clock. */
function dtmfPayloadOf(media: SdpMedia, codecClock: number): number | null {
  let fallback: number | null = null;
  for (const format of media.formats) {
    const pt = Number(format);
    const map = media.rtpmaps.get(pt);
    if (!map || map.encoding !== 'TELEPHONE-EVENT') continue;
    if (map.clockRate === 8000) return pt;
    if (map.clockRate === codecClock) fallback = pt;
  }
  return fallback;
}

function isRtpAudio(media: SdpMedia): boolean {
  return media.type === 'audio' && /^RTP\/AVPF?$/i.test(media.proto);
}

function remoteOf(session: SdpSession, media: SdpMedia): NegotiatedMedia['remote'] {
  const address = media.connection ?? session.connection;
  if (!address || address === '0.0.0.0' || address === '::' || media.port === 0) return null;
  return { address, port: media.port };
}

function describe(session: SdpSession, media: SdpMedia, codec: Codec, pt: number): NegotiatedMedia {
  const info = CODECS[codec];
  return {
    codec,
    payloadType: pt,
    sampleRate: info.sampleRate,
    rtpClockRate: info.clockRate,
    dtmfPayloadType: dtmfPayloadOf(media, info.clockRate),
    ptime: media.ptime ?? DEFAULT_PTIME,
    remote: remoteOf(session, media),
    direction: media.direction ?? session.direction ?? 'sendrecv',
  };
}

export type OfferResult =
  | { ok: true; media: NegotiatedMedia; index: number }
  | { ok: false; reason: 'not-sdp' | 'no-audio' | 'no-common-codec' };

/**
 * Picks our codec for an offer: the first of `preferences` the offer carries. When `keep` is
 * given (a re-INVITE) and the offer still carries it, it stays, so a refresh does not switch codecs.
 */
export function answerOffer(offer: string, preferences: readonly Codec[], keep?: Codec): OfferResult {
  const session = parseSdp(offer);
  if (!session) return { ok: false, reason: 'not-sdp' };
  const index = session.media.findIndex((m) => isRtpAudio(m) && m.port !== 0);
  const audio = session.media[index];
  if (!audio) return { ok: false, reason: 'no-audio' };
  const offered = new Map<Codec, number>();
  for (const format of audio.formats) {
    const pt = Number(format);
    if (!/^\d{1,3}$/.test(format) || pt > 127) continue;
    const codec = codecOfPayload(audio, pt);
    if (codec && !offered.has(codec)) offered.set(codec, pt);
  }
  const order = keep && offered.has(keep) ? [keep, ...preferences] : preferences;
  const codec = order.find((c) => offered.has(c));
  if (!codec) return { ok: false, reason: 'no-common-codec' };
  return { ok: true, media: describe(session, audio, codec, offered.get(codec)!), index };
}

/** What we answer to the peer's direction: they send only → we receive only, and so on. */
export function answerDirection(theirs: Direction): Direction {
  if (theirs === 'sendonly') return 'recvonly';
  if (theirs === 'recvonly') return 'sendonly';
  return theirs;
}

/** True when the peer put the call on hold (RFC 3264 §8.4, and RFC 2543's c=0.0.0.0). */
export function isHold(media: NegotiatedMedia): boolean {
  return media.direction === 'sendonly' || media.direction === 'inactive' || media.remote === null;
}

function header(local: LocalMedia, origin: SdpOrigin): string[] {
  const family = local.address.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=hotline ${origin.sessionId} ${origin.version} IN ${family} ${local.address}`,
    's=Hotline',
    `c=IN ${family} ${local.address}`,
    't=0 0',
  ];
}

function codecLines(codec: Codec, pt: number): string[] {
  const info = CODECS[codec];
  return [`a=rtpmap:${pt} ${info.encoding}/${info.clockRate}`];
}

function dtmfLines(pt: number): string[] {
  return [`a=rtpmap:${pt} telephone-event/8000`, `a=fmtp:${pt} 0-16`];
}

/** Our answer: the chosen codec (and telephone-event if offered) on the offer's audio line; other lines refused with port 0. */
export function buildAnswer(
  offer: string,
  chosen: NegotiatedMedia,
  index: number,
  local: LocalMedia,
  origin: SdpOrigin,
): string {
  const session = parseSdp(offer);
  const lines = header(local, origin);
  for (const [i, media] of (session?.media ?? []).entries()) {
    if (i !== index) {
      lines.push(`m=${media.type} 0 ${media.proto} ${media.formats[0] ?? '0'}`);
      continue;
    }
    const pts = [chosen.payloadType, ...(chosen.dtmfPayloadType === null ? [] : [chosen.dtmfPayloadType])];
    lines.push(`m=audio ${local.port} RTP/AVP ${pts.join(' ')}`);
    lines.push(...codecLines(chosen.codec, chosen.payloadType));
    if (chosen.dtmfPayloadType !== null) lines.push(...dtmfLines(chosen.dtmfPayloadType));
    lines.push(`a=ptime:${DEFAULT_PTIME}`, `a=${answerDirection(chosen.direction)}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** The payload type we use for a codec in our offers. */
export function payloadTypeOf(codec: Codec): number {
  const info = CODECS[codec];
  return info.staticPt ?? info.dynamicPt!;
}

/** An offer of `codecs` in order, with telephone-event/8000. */
export function buildOffer(
  codecs: readonly Codec[],
  local: LocalMedia,
  origin: SdpOrigin,
  direction: Direction = 'sendrecv',
): string {
  const pts = codecs.map(payloadTypeOf);
  const lines = header(local, origin);
  lines.push(`m=audio ${local.port} RTP/AVP ${[...pts, TELEPHONE_EVENT_PT].join(' ')}`);
  codecs.forEach((codec, i) => lines.push(...codecLines(codec, pts[i]!)));
  lines.push(...dtmfLines(TELEPHONE_EVENT_PT), `a=ptime:${DEFAULT_PTIME}`, `a=${direction}`);
  return lines.join('\r\n') + '\r\n';
}

/** Reads the answer to our offer of `offered`: the first answered format we offered, or null. */
export function readAnswer(answer: string, offered: readonly Codec[]): NegotiatedMedia | null {
  const session = parseSdp(answer);
  const audio = session?.media.find((m) => isRtpAudio(m) && m.port !== 0);
  if (!session || !audio) return null;
  for (const format of audio.formats) {
    const pt = Number(format);
    if (!/^\d{1,3}$/.test(format)) continue;
    const codec = codecOfPayload(audio, pt);
    if (codec && offered.includes(codec)) return describe(session, audio, codec, pt);
  }
  return null;
}
