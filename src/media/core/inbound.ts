// Inbound SIP calls: the dialplan decides (unknown number 404, no route 403, over capacity 503),
// the call becomes a PJSIP channel in Ring state with an RTP endpoint, and enters its Stasis
// application with StasisStart. Everything the caller does later (DTMF, hold, BYE) comes back
// as events on the call.
import type { InboundSipCall, NegotiatedMedia } from '../sip/contract.js';
import { Cause } from './causes.js';
import { Channel } from './channel.js';
import { ChannelState } from './channel-state.js';
import type { MediaCore } from './core.js';
import { hangupChannel } from './hangup.js';
import { newUniqueId, nextNameSuffix } from './ids.js';
import { InboundSipDriver } from './sip-driver.js';
import { enterStasis } from './stasis.js';

export async function onIncomingCall(core: MediaCore, call: InboundSipCall): Promise<void> {
  if (core.stopping) {
    call.reject(503, 'Service Unavailable');
    return;
  }
  const decision = core.dialplan.route({
    dialled: call.dialled,
    trunk: call.trunk,
    endpoint: call.endpoint,
    sourceAddress: call.source.address,
    callerNumber: call.from.number,
    callerName: call.from.name,
  });
  if (decision.kind === 'reject') {
    call.reject(decision.status, decision.status === 404 ? 'Not Found' : 'Forbidden');
    return;
  }
  if (core.sipCallCount() >= core.settings.maxCalls) {
    call.reject(503, 'Service Unavailable');
    return;
  }
  if (!core.apps.isActive(decision.app)) {
    core.log.warn(
      { app: decision.app, dialled: call.dialled },
      'a call arrived for an application with no events connection',
    );
    call.reject(480, 'Temporarily Unavailable');
    return;
  }

  let local: { address: string; port: number } | null = null;
  let sending = false;
  const id = newUniqueId();
  const driver = new InboundSipDriver(
    call,
    () => local,
    () => {
      if (sending || !local) return;
      sending = true;
      core.engine.configureRtpEndpoint(id, core.rtpSettings(call.media, true));
    },
  );
  const ch = new Channel({
    id,
    name: `PJSIP/${decision.channelName}-${nextNameSuffix()}`,
    driver,
    state: ChannelState.Ring,
    caller: { name: call.from.name, number: call.from.number },
    dialplan: {
      context: decision.context,
      exten: decision.exten,
      priority: decision.priority,
      app_name: '',
      app_data: '',
    },
    language: decision.language ?? core.settings.defaultLanguage,
  });
  core.addChannel(ch);

  let ended = false;
  call.once('ended', (end) => {
    ended = true;
    driver.markEnded();
    // A BYE is an ordinary hang-up (no cause in ChannelHangupRequest); anything else says why.
    const announceCause = !(
      end.by === 'remote' &&
      end.cause === Cause.NormalClearing &&
      end.status === undefined
    );
    void hangupChannel(core, ch, { kind: 'remote', cause: end.cause, announceCause });
  });
  call.on('dtmf', ({ digit, durationMs }) => {
    if (!ch.hangingUp) core.publishChannel(ch, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
  });
  call.on('media', (media) => onRemoteMedia(core, ch, media, sending));

  try {
    local = await core.engine.createRtpEndpoint(ch.id, { bindAddress: core.settings.bindAddress });
    ch.rtpLocal = local;
    ch.rtpRemote = call.media.remote;
    core.engine.configureRtpEndpoint(ch.id, core.rtpSettings(call.media, false));
  } catch (err) {
    core.log.error({ err, channel: ch.id }, 'no RTP port for an inbound call');
    if (!ended) call.reject(503, 'Service Unavailable');
    driver.markEnded();
    await hangupChannel(core, ch, { kind: 'remote', cause: Cause.TemporaryFailure, announceCause: true });
    return;
  }
  if (ended || ch.hangingUp) return;
  if (!enterStasis(core, ch, decision.app, decision.args)) {
    call.reject(480, 'Temporarily Unavailable');
    driver.markEnded();
    await hangupChannel(core, ch, { kind: 'remote', cause: Cause.TemporaryFailure, announceCause: true });
  }
}

/** A re-INVITE from the caller: new address or codec, or hold / unhold (ChannelHold / ChannelUnhold). */
export function onRemoteMedia(core: MediaCore, ch: Channel, media: NegotiatedMedia, sending: boolean): void {
  if (ch.hangingUp) return;
  ch.rtpRemote = media.remote;
  core.engine.configureRtpEndpoint(ch.id, core.rtpSettings(media, sending || ch.state === ChannelState.Up));
  const holding = media.direction === 'sendonly' || media.direction === 'inactive' || media.remote === null;
  if (holding && !ch.remoteHold) {
    ch.remoteHold = true;
    core.publishChannel(ch, 'ChannelHold', { musicclass: '' });
  } else if (!holding && ch.remoteHold) {
    ch.remoteHold = false;
    core.publishChannel(ch, 'ChannelUnhold');
  }
}
