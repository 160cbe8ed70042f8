// Hanging up a channel, in the order Asterisk reports it:
//   RTPAUDIOQOS* variables (SIP calls; the bridge peer gets the *BRIDGED copies)
//   ChannelHangupRequest  (soft, cause 32, for a hang-up over ARI; without a cause for a BYE)
//   PlaybackFinished (failed) for a playback cut short
//   BRIDGEPEER cleared, ChannelLeftBridge
//   StasisEnd, STASISSTATUS=SUCCESS
//   ChannelDestroyed (cause, cause_txt) — only applications still subscribed hear it, i.e. the
//   one that made the channel over REST.
import type { RtpStats } from '../engine/contract.js';
import { leaveBridge } from './bridges.js';
import { causeText, dialStatusOfCause } from './causes.js';
import type { Channel } from './channel.js';
import type { MediaCore } from './core.js';
import { leaveStasis } from './stasis.js';

/** Asterisk's soft hang-up flag for an explicit request (it is what ChannelHangupRequest.cause shows). */
const SOFTHANGUP_EXPLICIT = 32;

export type HangupHow =
  /** DELETE /channels/{id} (or the core's own decision): tell the far end with `cause`. */
  | { kind: 'request'; cause: number }
  /** The far end hung up (BYE, CANCEL, failure); `announceCause` adds the cause to the request event. */
  | { kind: 'remote'; cause: number; announceCause: boolean };

function fixed(n: number): string {
  return n.toFixed(6).padStart(10, '0');
}

/** chan_pjsip's end-of-call QoS variables, from the engine's RTP statistics. */
export function qosVariables(stats: RtpStats): [string, string][] {
  const jitter = stats.rxJitter;
  return [
    [
      'RTPAUDIOQOS',
      `ssrc=${stats.localSsrc};themssrc=${stats.remoteSsrc};lp=${stats.rxLost};rxjitter=${jitter.toFixed(6)};rxcount=${stats.rxCount};txjitter=0.000000;txcount=${stats.txCount};rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000`,
    ],
    [
      'RTPAUDIOQOSJITTER',
      `minrxjitter=${fixed(0)};maxrxjitter=${fixed(jitter)};avgrxjitter=${fixed(jitter)};stdevrxjitter=${fixed(0)};mintxjitter=${fixed(0)};maxtxjitter=${fixed(0)};avgtxjitter=${fixed(0)};stdevtxjitter=${fixed(0)};`,
    ],
    [
      'RTPAUDIOQOSLOSS',
      `  minrxlost=${fixed(0)};  maxrxlost=${fixed(stats.rxLost)};  avgrxlost=${fixed(stats.rxLost)};  stdevrxlost=${fixed(0)};  mintxlost=${fixed(0)};  maxtxlost=${fixed(0)};  avgtxlost=${fixed(0)};  stdevtxlost=${fixed(0)};`,
    ],
    [
      'RTPAUDIOQOSRTT',
      `     minrtt=${fixed(0)};     maxrtt=${fixed(0)};     avgrtt=${fixed(0)};     stdevrtt=${fixed(0)};`,
    ],
    [
      'RTPAUDIOQOSMES',
      `   minrxmes=${fixed(0)};   maxrxmes=${fixed(0)};   avgrxmes=${fixed(0)};   stdevrxmes=${fixed(0)};   mintxmes=${fixed(0)};   maxtxmes=${fixed(0)};   avgtxmes=${fixed(0)};   stdevtxmes=${fixed(0)};`,
    ],
  ];
}

async function reportQos(core: MediaCore, ch: Channel): Promise<void> {
  if (!ch.driver.reportsQos) return;
  const stats = await core.engine.stats(ch.id).catch(() => null);
  if (!stats) return;
  const bridge = core.bridgeOf(ch);
  const peerId =
    bridge && bridge.channels.length === 2 ? bridge.channels.find((id) => id !== ch.id) : undefined;
  const peer = peerId ? core.channels.get(peerId) : undefined;
  for (const [name, value] of qosVariables(stats)) {
    core.setVariable(ch, name, value);
    if (peer) core.setVariable(peer, `${name}BRIDGED`, value);
  }
}

/**
 * Hangs a channel up and forgets it. Safe to call twice: the second call returns the first's
 * promise. Resolves when every event is out and the media is freed.
 */
export function hangupChannel(core: MediaCore, ch: Channel, how: HangupHow): Promise<void> {
  if (ch.hangingUp) return ch.hangupDone ?? Promise.resolve();
  ch.hangingUp = true;
  ch.hangupCause = how.cause;
  ch.control.close();
  ch.hangupDone = runHangup(core, ch, how).catch((err: unknown) => {
    core.log.error({ err, channel: ch.id }, 'hang-up failed part way');
    core.channels.delete(ch.id);
  });
  return ch.hangupDone;
}

async function runHangup(core: MediaCore, ch: Channel, how: HangupHow): Promise<void> {
  // Tell the far end first, so a BYE goes out without waiting for statistics or events.
  if (how.kind === 'request') ch.driver.hangup(how.cause);
  await reportQos(core, ch);
  const requestFields =
    how.kind === 'request'
      ? { cause: SOFTHANGUP_EXPLICIT, soft: true }
      : how.announceCause
        ? { cause: how.cause }
        : {};
  core.publishChannel(ch, 'ChannelHangupRequest', requestFields);
  // A call still ringing ends its dial: cancelled by us, or refused by the far end.
  if (ch.dial?.active) {
    ch.dial.active = false;
    core.publishDial(ch, how.kind === 'request' ? 'CANCEL' : dialStatusOfCause(how.cause));
  }
  await core.interruptPlaybacks(ch);
  if (ch.recordingName) core.engine.stopRecording(ch.recordingName);
  for (const snoopId of ch.snoops) {
    const snoop = core.channels.get(snoopId);
    if (snoop) void hangupChannel(core, snoop, { kind: 'remote', cause: how.cause, announceCause: false });
  }
  if (ch.bridgeId) leaveBridge(core, ch);
  leaveStasis(core, ch);
  if (ch.snoopTarget) core.channels.get(ch.snoopTarget)?.snoops.delete(ch.id);
  await core.engine
    .destroyEndpoint(ch.id)
    .catch((err: unknown) => core.log.warn({ err, channel: ch.id }, 'freeing media failed'));
  core.publishChannel(ch, 'ChannelDestroyed', {
    cause: ch.hangupCause,
    cause_txt: causeText(ch.hangupCause),
  });
  ch.subscribers.clear();
  core.channels.delete(ch.id);
  core.onChannelGone(ch);
}
