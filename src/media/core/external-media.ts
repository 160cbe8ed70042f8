// POST /channels/externalMedia: a UnicastRTP channel whose audio goes to and comes from a UDP
// address as RTP (what the transcriber listens to). Asterisk makes it by originating to
// "UnicastRTP/host:port", so it shows the same Dial events and enters the app once "answered".
import { isIP } from 'node:net';
import type { Codec } from '../sip/contract.js';
import { Channel, type ChannelDriver, type ChannelSnapshot } from './channel.js';
import { ChannelState } from './channel-state.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError } from './errors.js';
import { hangupChannel } from './hangup.js';
import { newUniqueId } from './ids.js';
import { enterStasis, splitAppArgs } from './stasis.js';
import { randomBytes } from 'node:crypto';

export interface ExternalMediaRequest {
  channelId?: string;
  app?: string;
  variables?: Record<string, string>;
  external_host?: string;
  encapsulation?: string;
  transport?: string;
  connection_type?: string;
  format?: string;
  direction?: string;
  data?: string;
}

interface FormatInfo {
  codec: Codec;
  payloadType: number;
  sampleRate: 8000 | 16000;
  rtpClockRate: number;
}

/** Formats an externalMedia channel can carry, with Asterisk's RTP payload types for them. */
const FORMATS: Record<string, FormatInfo> = {
  ulaw: { codec: 'PCMU', payloadType: 0, sampleRate: 8000, rtpClockRate: 8000 },
  alaw: { codec: 'PCMA', payloadType: 8, sampleRate: 8000, rtpClockRate: 8000 },
  g722: { codec: 'G722', payloadType: 9, sampleRate: 16000, rtpClockRate: 8000 },
  slin16: { codec: 'L16', payloadType: 118, sampleRate: 16000, rtpClockRate: 16000 },
};

class UnicastRtpDriver implements ChannelDriver {
  readonly technology = 'UnicastRTP' as const;
  readonly protocolId = '';
  readonly reportsQos = false;
  constructor(private readonly format: FormatInfo) {}
  answer(): Promise<void> {
    return Promise.resolve();
  }
  indicateRinging(): void {}
  indicateProgress(): void {}
  hangup(): void {}
  codec(): Codec {
    return this.format.codec;
  }
}

function splitHostPort(hostPort: string): { host: string; port: number } | null {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(hostPort.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

export async function externalMedia(core: MediaCore, req: ExternalMediaRequest): Promise<ChannelSnapshot> {
  if (!req.app) throw badRequest('app cannot be empty');
  if (!req.external_host)
    throw badRequest('external_host is required for all but websocket server connections');
  const hostPort = splitHostPort(req.external_host);
  if (!hostPort) throw badRequest('external_host must be <host>:<port>');
  if (!isIP(hostPort.host))
    throw badRequest('external_host must be an IP address and a port (no host names)');
  if (!req.format) throw badRequest('format cannot be empty');
  const encapsulation = (req.encapsulation || 'rtp').toLowerCase();
  const transport = (req.transport || 'udp').toLowerCase();
  if (encapsulation !== 'rtp' || transport !== 'udp')
    throw new CoreError('NOT_IMPLEMENTED', 'The encapsulation and/or transport is not supported');
  if ((req.connection_type || 'client') !== 'client')
    throw new CoreError('NOT_IMPLEMENTED', 'Only connection_type=client is supported');
  if ((req.direction || 'both') !== 'both') throw badRequest('Only direction=both is supported');
  const format = FORMATS[req.format];
  // Asterisk answers 500 for an unknown format; a 400 names the ones that work.
  if (!format)
    throw badRequest(`format '${req.format}' is not supported: use ${Object.keys(FORMATS).join(', ')}`);
  const id = req.channelId || newUniqueId();
  if (core.channels.has(id))
    throw new CoreError('CHANNEL_EXISTS', 'Channel with given unique ID already exists');

  const ch = new Channel({
    id,
    name: `UnicastRTP/${hostPort.host}:${hostPort.port}-0x${randomBytes(6).toString('hex')}`,
    driver: new UnicastRtpDriver(format),
    state: ChannelState.Down,
    dialplan: {
      context: 'default',
      exten: 's',
      priority: 1,
      app_name: 'AppDial2',
      app_data: '(Outgoing Line)',
    },
    language: core.settings.defaultLanguage,
  });
  core.addChannel(ch);
  let local;
  try {
    local = await core.engine.createRtpEndpoint(ch.id, { bindAddress: core.settings.bindAddress });
  } catch (err) {
    core.channels.delete(ch.id);
    throw new CoreError('INTERNAL', `No RTP port for the external media channel: ${(err as Error).message}`);
  }
  ch.rtpLocal = local;
  ch.rtpRemote = { address: hostPort.host, port: hostPort.port };
  core.engine.configureRtpEndpoint(ch.id, {
    remote: { address: hostPort.host, port: hostPort.port },
    codec: format.codec,
    payloadType: format.payloadType,
    sampleRate: format.sampleRate,
    rtpClockRate: format.rtpClockRate,
    dtmfPayloadType: null,
    ptime: 20,
    latch: false,
    direction: 'sendrecv',
  });
  for (const [name, value] of Object.entries(req.variables ?? {}))
    core.setVariable(ch, name, String(value), false);
  core.setVariable(ch, 'UNICASTRTP_LOCAL_PORT', String(local.port), false);
  core.setVariable(ch, 'UNICASTRTP_LOCAL_ADDRESS', local.address, false);
  ch.subscribers.add(req.app);
  ch.dial = {
    dialstring: `${hostPort.host}:${hostPort.port}/c(${req.format})`,
    caller: null,
    active: true,
    publishDialstring: true,
    announced: false,
  };
  const snapshot: ChannelSnapshot = {
    ...ch.snapshot(),
    channelvars: { UNICASTRTP_LOCAL_PORT: String(local.port), UNICASTRTP_LOCAL_ADDRESS: local.address },
  };
  const app = req.app;
  const args = splitAppArgs(req.data);
  queueMicrotask(() => {
    if (ch.hangingUp) return;
    core.publishDial(ch, '');
    if (ch.setState(ChannelState.Up)) core.publishChannel(ch, 'ChannelStateChange');
    ch.dial!.active = false;
    core.publishDial(ch, 'ANSWER');
    if (!enterStasis(core, ch, app, args)) void hangupChannel(core, ch, { kind: 'request', cause: 16 });
  });
  return snapshot;
}
