// Outbound calls: POST /channels (originate: dial, then enter the app on answer) and
// POST /channels/create + POST /channels/{id}/dial (enter the app first, dial later), with the
// Dial events Asterisk publishes (dialstatus "", RINGING, ANSWER, BUSY, NOANSWER, CANCEL, ...).
// Only configured endpoints (their registered contacts) and trunks can be called: never an
// arbitrary URI.
import type { Codec, DialTarget, NegotiatedMedia } from '../sip/contract.js';
import { SipError } from '../sip/contract.js';
import { Cause } from './causes.js';
import { Channel, type ChannelSnapshot } from './channel.js';
import { ChannelState } from './channel-state.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError } from './errors.js';
import { hangupChannel } from './hangup.js';
import { newUniqueId, nextNameSuffix } from './ids.js';
import { onRemoteMedia } from './inbound.js';
import { OutboundSipDriver } from './sip-driver.js';
import { enterStasis, splitAppArgs } from './stasis.js';
import { isFunctionCall, writeFunction } from './variables.js';

/** Asterisk's limit on an assigned unique id. */
const MAX_PUBLIC_UNIQUEID = 150;

export interface OriginateRequest {
  endpoint?: string;
  extension?: string;
  context?: string;
  priority?: number;
  label?: string;
  app?: string;
  appArgs?: string;
  callerId?: string;
  timeout?: number;
  variables?: Record<string, string>;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  formats?: string;
}

interface ParsedEndpoint {
  resource: string;
  target: DialTarget;
  /** The name part of the channel name (PJSIP/<name>-00000001). */
  name: string;
}

/** "Name" <1234>, Name <1234>, or just 1234. */
export function parseCallerId(text: string | undefined): { name: string; number: string } {
  if (!text) return { name: '', number: '' };
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: (m[1] ?? m[2] ?? '').trim(), number: shrink(m[3]!.trim()) };
  const t = text.trim();
  return /^[+\d\s().-]+$/.test(t) ? { name: '', number: shrink(t) } : { name: t, number: '' };
}

function shrink(number: string): string {
  return /^[+\d\s().-]+$/.test(number) ? number.replace(/[\s().-]/g, '') : number;
}

function parseEndpoint(core: MediaCore, endpoint: string): ParsedEndpoint {
  const slash = endpoint.indexOf('/');
  const tech = slash > 0 ? endpoint.slice(0, slash) : '';
  const resource = slash > 0 ? endpoint.slice(slash + 1) : '';
  if (!tech || !resource) throw badRequest('Invalid endpoint specified');
  // Asterisk answers these with 500 {"error": "Allocation failed"}; a 400 says why.
  if (tech.toUpperCase() !== 'PJSIP')
    throw badRequest(
      `Allocation failed: technology '${tech}' is not available (use PJSIP/<endpoint> or PJSIP/<number>@<trunk>)`,
    );
  const at = resource.indexOf('@');
  if (at >= 0) {
    const number = resource.slice(0, at);
    const trunk = resource.slice(at + 1);
    const info = core.sip.endpoint(trunk);
    if (!number || !info || info.kind !== 'trunk')
      throw badRequest(`Allocation failed: '${trunk}' is not a configured trunk`);
    return { resource, target: { trunk, number }, name: trunk };
  }
  const info = core.sip.endpoint(resource);
  if (!info || info.kind !== 'endpoint')
    throw badRequest(`Allocation failed: PJSIP endpoint '${resource}' is not configured`);
  if (info.state === 'offline')
    throw badRequest(`Allocation failed: PJSIP endpoint '${resource}' is not registered`);
  return { resource, target: { endpoint: resource }, name: resource };
}

/** ARI format names (formats=ulaw,alaw) → the codecs to offer, in that order. */
const FORMAT_CODECS: Record<string, Codec> = { ulaw: 'PCMU', alaw: 'PCMA', g722: 'G722', slin16: 'L16' };

function parseFormats(formats: string | undefined): Codec[] | undefined {
  if (!formats) return undefined;
  return formats.split(',').map((f) => {
    const codec = FORMAT_CODECS[f.trim()];
    if (!codec) throw badRequest(`Provided format (${f.trim()}) was not found`);
    return codec;
  });
}

/** The codecs of the originator's call, so the new leg can be bridged without transcoding. */
function originatorCodecs(core: MediaCore, originator: string | undefined): Codec[] | undefined {
  const codec = originator ? core.channels.get(originator)?.driver.codec() : null;
  return codec ? [codec] : undefined;
}

function checkIds(
  core: MediaCore,
  channelId: string | undefined,
  otherChannelId: string | undefined,
): string {
  for (const id of [channelId, otherChannelId]) {
    if (id && id.length > MAX_PUBLIC_UNIQUEID)
      throw badRequest(`Uniqueid length exceeds maximum of ${MAX_PUBLIC_UNIQUEID}`);
  }
  const id = channelId || newUniqueId();
  if (core.channels.has(id))
    throw new CoreError('CHANNEL_EXISTS', 'Channel with given unique ID already exists');
  return id;
}

function applyVariables(core: MediaCore, ch: Channel, variables: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (typeof value !== 'string') throw badRequest("Only string values in the 'variables' object allowed");
    if (isFunctionCall(name)) writeFunction(ch, name, value);
    else core.setVariable(ch, name, value, false);
  }
}

/** POST /channels. */
export function originate(core: MediaCore, req: OriginateRequest): ChannelSnapshot {
  const id = checkIds(core, req.channelId, req.otherChannelId);
  if (!req.endpoint) throw badRequest('Endpoint must be specified');
  if (req.originator && req.formats) throw badRequest("Originator and formats can't both be specified");
  let app = req.app;
  let args = splitAppArgs(req.appArgs);
  if (!app) {
    if (!req.extension) throw badRequest('Application or extension must be specified');
    // Hotline's dialplan only sends calls into Stasis: an extension is followed to its app.
    const ext = core.dialplan.extension(req.context || 'default', req.extension);
    if (!ext) throw badRequest(`No extension ${req.extension} in context ${req.context || 'default'}`);
    app = ext.app;
    args = ext.args;
  }
  const endpoint = parseEndpoint(core, req.endpoint);
  if (req.originator && !core.channels.has(req.originator))
    throw badRequest('Provided originator channel was not found');
  const codecs = parseFormats(req.formats) ?? originatorCodecs(core, req.originator);
  const callerId = parseCallerId(req.callerId);
  const driver = new OutboundSipDriver();
  const ch = new Channel({
    id,
    name: `PJSIP/${endpoint.name}-${nextNameSuffix()}`,
    driver,
    state: ChannelState.Down,
    caller: callerId,
    connected: { ...callerId },
    dialplan: {
      context: core.dialplan.contextForEndpoint(endpoint.name),
      exten: 's',
      priority: 1,
      app_name: 'AppDial2',
      app_data: '(Outgoing Line)',
    },
    language: core.settings.defaultLanguage,
  });
  applyVariables(core, ch, req.variables);
  core.addChannel(ch);
  ch.subscribers.add(app);
  ch.dial = {
    dialstring: endpoint.resource,
    caller: null,
    active: true,
    publishDialstring: true,
    announced: false,
  };
  const snapshot = ch.snapshot();
  const appName = app;
  void placeCall(core, ch, driver, endpoint.target, {
    timeoutS: req.timeout === undefined || req.timeout === 0 ? 30 : req.timeout,
    ringingFirst: false,
    codecs,
    onAnswer: () => {
      if (!enterStasis(core, ch, appName, args))
        void hangupChannel(core, ch, { kind: 'request', cause: Cause.NormalClearing });
    },
  });
  return snapshot;
}

/** POST /channels/create: the channel enters the app now, in state Down; POST .../dial calls it. */
export function createChannel(core: MediaCore, req: OriginateRequest): ChannelSnapshot {
  if (req.originator && req.formats) throw badRequest("Originator and formats can't both be specified");
  if (!req.endpoint) throw badRequest('Endpoint must be specified');
  if (!req.app) throw badRequest('Application must be specified');
  const id = checkIds(core, req.channelId, req.otherChannelId);
  const endpoint = parseEndpoint(core, req.endpoint);
  const originator = req.originator ? core.channels.get(req.originator) : undefined;
  const codecs = parseFormats(req.formats) ?? originatorCodecs(core, req.originator);
  const driver = new OutboundSipDriver();
  const ch = new Channel({
    id,
    name: `PJSIP/${endpoint.name}-${nextNameSuffix()}`,
    driver,
    state: ChannelState.Down,
    dialplan: {
      context: core.dialplan.contextForEndpoint(endpoint.name),
      exten: 's',
      priority: 1,
      app_name: '',
      app_data: '',
    },
    language: core.settings.defaultLanguage,
  });
  applyVariables(core, ch, req.variables);
  core.addChannel(ch);
  ch.subscribers.add(req.app);
  if (originator?.stasis === null && req.app) originator.subscribers.add(req.app);
  ch.createdDialstring = endpoint.resource;
  ch.createdTarget = endpoint.target;
  ch.createdCodecs = codecs ?? null;
  const snapshot = ch.snapshot();
  const app = req.app;
  const args = splitAppArgs(req.appArgs);
  // After the response is built, as Asterisk's channel thread starts Stasis() on its own.
  queueMicrotask(() => {
    if (ch.hangingUp) return;
    if (!enterStasis(core, ch, app, args, { announceDialplan: true })) {
      void hangupChannel(core, ch, { kind: 'request', cause: Cause.NormalClearing });
    }
  });
  return snapshot;
}

/** POST /channels/{id}/dial. */
export function dial(core: MediaCore, id: string, req: { caller?: string; timeout?: number }): void {
  const ch = core.control(id);
  const caller = req.caller ? core.channels.get(req.caller) : undefined;
  if (ch.state !== ChannelState.Down && ch.state !== ChannelState.Reserved)
    throw new CoreError('CONFLICT', "Channel is not in the 'Down' state");
  if (!ch.createdDialstring || !ch.createdTarget || !(ch.driver instanceof OutboundSipDriver))
    throw new CoreError('CONFLICT', 'Dialing a channel not created by ARI');
  if (ch.dial) throw new CoreError('CONFLICT', "Channel is not in the 'Down' state");
  if (caller) {
    ch.connected = { ...caller.caller };
    ch.language = caller.language;
  }
  ch.dial = {
    dialstring: ch.createdDialstring,
    caller: caller ?? null,
    active: true,
    publishDialstring: false,
    announced: false,
  };
  const driver = ch.driver;
  const target = ch.createdTarget;
  ch.control
    .run(() =>
      placeCall(core, ch, driver, target, {
        timeoutS:
          req.timeout === undefined || req.timeout === 0 ? core.settings.defaultDialTimeoutS : req.timeout,
        ringingFirst: true,
        codecs: ch.createdCodecs ?? undefined,
        onAnswer: () => undefined,
      }),
    )
    .catch(() => undefined);
}

interface PlaceOptions {
  /** -1: no timeout. */
  timeoutS: number;
  /** POST .../dial marks the channel Ringing when the INVITE goes out; originate waits for a 180. */
  ringingFirst: boolean;
  /** Codecs to offer (ARI `formats`, or the originator's), else the SIP layer's defaults. */
  codecs?: Codec[];
  onAnswer: () => void;
}

/** Allocates RTP, sends the INVITE and turns the call's progress into states and Dial events. */
async function placeCall(
  core: MediaCore,
  ch: Channel,
  driver: OutboundSipDriver,
  target: DialTarget,
  options: PlaceOptions,
): Promise<void> {
  const fail = (cause: number) => {
    driver.markEnded();
    return hangupChannel(core, ch, { kind: 'remote', cause, announceCause: true });
  };
  let local;
  try {
    local = await core.engine.createRtpEndpoint(ch.id, { bindAddress: core.settings.bindAddress });
  } catch (err) {
    core.log.error({ err, channel: ch.id }, 'no RTP port for an outbound call');
    return fail(Cause.TemporaryFailure);
  }
  if (ch.hangingUp) return;
  ch.rtpLocal = local;
  let call;
  try {
    call = core.sip.invite({
      target,
      from: { name: ch.caller.name, number: ch.caller.number },
      local,
      ...(options.codecs ? { codecs: options.codecs } : {}),
    });
  } catch (err) {
    core.log.warn({ err: (err as Error).message, channel: ch.id }, 'the INVITE could not be sent');
    return fail(err instanceof SipError && err.code === 'ENDPOINT_OFFLINE' ? 20 : Cause.ChannelUnavailable);
  }
  driver.attach(call);
  if (options.ringingFirst && ch.setState(ChannelState.Ringing))
    core.publishChannel(ch, 'ChannelStateChange');
  core.publishDial(ch, '');

  let answered = false;
  const timer =
    options.timeoutS > 0
      ? setTimeout(() => {
          if (!answered) call.hangup(Cause.NoAnswer);
        }, options.timeoutS * 1000)
      : null;
  timer?.unref();

  call.on('progress', ({ status, media }) => {
    if (ch.hangingUp || answered) return;
    if (media) core.engine.configureRtpEndpoint(ch.id, core.rtpSettings(media, true));
    core.publishDial(ch, status === 180 ? 'RINGING' : 'PROGRESS');
    if (status === 180 && ch.setState(ChannelState.Ringing)) core.publishChannel(ch, 'ChannelStateChange');
  });
  call.on('answered', (media: NegotiatedMedia) => {
    if (ch.hangingUp) return;
    answered = true;
    if (timer) clearTimeout(timer);
    driver.media = media;
    ch.rtpRemote = media.remote;
    core.engine.configureRtpEndpoint(ch.id, core.rtpSettings(media, true));
    if (ch.setState(ChannelState.Up)) core.publishChannel(ch, 'ChannelStateChange');
    if (ch.dial) ch.dial.active = false;
    core.publishDial(ch, 'ANSWER');
    options.onAnswer();
  });
  call.once('ended', (end) => {
    if (timer) clearTimeout(timer);
    driver.markEnded();
    const announceCause = !(
      answered &&
      end.by === 'remote' &&
      end.cause === Cause.NormalClearing &&
      end.status === undefined
    );
    void hangupChannel(core, ch, { kind: 'remote', cause: end.cause, announceCause });
  });
  call.on('dtmf', ({ digit, durationMs }) => {
    if (!ch.hangingUp) core.publishChannel(ch, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
  });
  call.on('media', (media) => {
    driver.media = media;
    onRemoteMedia(core, ch, media, true);
  });
}
