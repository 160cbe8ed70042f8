// Operations on one channel that an application sends over ARI: answer, ring, hold, music on
// hold, silence, mute, DTMF, variables and hang-up. Those Asterisk runs in the channel's own
// thread go through the channel's command queue; answer waits for its turn (its response comes
// after a playback queued before it), the others return at once.
import { causeOfReason, HANGUP_REASONS } from './causes.js';
import type { Channel, ChannelSnapshot } from './channel.js';
import { ChannelState } from './channel-state.js';
import { QueueClosedError } from './control-queue.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError } from './errors.js';
import { hangupChannel } from './hangup.js';
import { enterStasis, leaveStasis } from './stasis.js';
import { isFunctionCall, readFunction, writeFunction } from './variables.js';

export function listChannels(core: MediaCore): ChannelSnapshot[] {
  return [...core.channels.values()].filter((ch) => !ch.hangingUp).map((ch) => ch.snapshot());
}

export function getChannel(core: MediaCore, id: string): ChannelSnapshot {
  return core.channel(id).snapshot();
}

/** Runs `command` in the channel's queue; a hang-up meanwhile just skips it. */
function queued(core: MediaCore, ch: Channel, command: () => void | Promise<void>): void {
  ch.control.run(command).catch((err: unknown) => {
    if (!(err instanceof QueueClosedError)) core.log.warn({ err, channel: ch.id }, 'channel command failed');
  });
}

export async function answer(core: MediaCore, id: string): Promise<void> {
  const ch = core.control(id);
  core.assertStateValid(ch);
  await ch.control
    .run(async () => {
      if (ch.state === ChannelState.Up) return;
      await ch.driver.answer();
      if (ch.hangingUp) return;
      if (ch.setState(ChannelState.Up)) core.publishChannel(ch, 'ChannelStateChange');
    })
    .catch((err: unknown) => {
      if (err instanceof QueueClosedError) return;
      throw new CoreError('INTERNAL', `Failed to answer channel: ${(err as Error).message}`);
    });
}

export function ring(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  queued(core, ch, () => {
    if (ch.state !== ChannelState.Up) ch.driver.indicateRinging();
  });
}

export function ringStop(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  // A SIP phone makes its own ringback after 180; there is nothing local to stop.
  queued(core, ch, () => undefined);
}

/** POST /hold: like chan_pjsip, the held party hears music on hold. No ChannelHold event (that is for the peer holding us). */
export function hold(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  queued(core, ch, () => {
    if (ch.held) return;
    ch.held = true;
    if (!ch.mohClass) core.engine.startMusicOnHold({ endpoint: ch.id }, core.mohFiles('default') ?? []);
  });
}

export function unhold(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  queued(core, ch, () => {
    if (!ch.held) return;
    ch.held = false;
    if (!ch.mohClass) core.engine.stopMusicOnHold({ endpoint: ch.id });
  });
}

export function startMoh(core: MediaCore, id: string, mohClass: string | undefined): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  queued(core, ch, () => {
    // An unknown class falls back to the default one, as in Asterisk.
    const files = core.mohFiles(mohClass) ?? core.mohFiles('default') ?? [];
    core.engine.startMusicOnHold({ endpoint: ch.id }, files);
    ch.mohClass = mohClass || 'default';
  });
}

export function stopMoh(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  queued(core, ch, () => {
    if (!ch.mohClass && !ch.held) return;
    core.engine.stopMusicOnHold({ endpoint: ch.id });
    ch.mohClass = null;
    ch.held = false;
  });
}

export function startSilence(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  // Silence is what a channel with no source and no bridge sends already; stop music if any.
  queued(core, ch, () => {
    if (ch.mohClass) core.engine.stopMusicOnHold({ endpoint: ch.id });
    ch.mohClass = null;
  });
}

export function stopSilence(core: MediaCore, id: string): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
}

function parseDirection(direction: string | undefined): { in: boolean; out: boolean } {
  if (!direction) throw badRequest('Direction is required');
  if (direction === 'in') return { in: true, out: false };
  if (direction === 'out') return { in: false, out: true };
  if (direction === 'both') return { in: true, out: true };
  throw badRequest('Invalid direction specified');
}

export function mute(core: MediaCore, id: string, direction: string | undefined): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  const d = parseDirection(direction);
  queued(core, ch, () => {
    ch.muted = { in: ch.muted.in || d.in, out: ch.muted.out || d.out };
    core.engine.setMute(ch.id, ch.muted);
  });
}

export function unmute(core: MediaCore, id: string, direction: string | undefined): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  const d = parseDirection(direction);
  queued(core, ch, () => {
    ch.muted = { in: ch.muted.in && !d.in, out: ch.muted.out && !d.out };
    core.engine.setMute(ch.id, ch.muted);
  });
}

export interface DtmfRequest {
  dtmf?: string;
  before?: number;
  between?: number;
  duration?: number;
  after?: number;
}

export function sendDtmf(core: MediaCore, id: string, req: DtmfRequest): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  if (!req.dtmf) throw badRequest('DTMF is required');
  const digits = req.dtmf;
  queued(core, ch, () =>
    core.engine.sendDtmf(ch.id, digits, {
      beforeMs: req.before ?? 0,
      betweenMs: req.between ?? 100,
      durationMs: req.duration ?? 100,
      afterMs: req.after ?? 0,
    }),
  );
}

/** GET /channels/{id}/variable. */
export function getVariable(core: MediaCore, id: string, variable: string | undefined): string {
  if (!variable) throw badRequest('Variable name is required');
  const ch = core.channel(id, 'Provided channel was not found');
  if (isFunctionCall(variable)) return readFunction(ch, variable);
  const value = ch.variables.get(variable);
  if (value === undefined) throw new CoreError('VARIABLE_NOT_FOUND', 'Provided variable was not found');
  return value;
}

/** POST /channels/{id}/variable. */
export function setVariable(
  core: MediaCore,
  id: string,
  variable: string | undefined,
  value: string | undefined,
): void {
  if (!variable) throw badRequest('Variable name is required');
  const ch = core.control(id);
  if (!isFunctionCall(variable)) {
    core.setVariable(ch, variable, value ?? '');
    return;
  }
  const effects = writeFunction(ch, variable, value ?? '');
  if (effects.talkDetection !== undefined) core.engine.setTalkDetection?.(ch.id, effects.talkDetection);
  if (effects.callerChanged) {
    core.publishChannel(ch, 'ChannelCallerId', {
      caller_presentation: 0,
      caller_presentation_txt: 'Presentation Allowed, Not Screened',
    });
  }
  if (effects.connectedChanged) core.publishChannel(ch, 'ChannelConnectedLine');
}

/** DELETE /channels/{id}: the response does not wait for the hang-up to finish. */
export function hangup(core: MediaCore, id: string, req: { reason?: string; reason_code?: string }): void {
  const ch = core.channel(id);
  if (req.reason && req.reason_code) throw badRequest("The reason and reason_code can't both be specified");
  let cause = 16;
  if (req.reason_code) {
    const n = /^\s*[+-]?\d+/.exec(req.reason_code);
    if (!n) throw badRequest('Invalid reason for hangup reason code provided');
    cause = Number(n[0]);
  } else if (req.reason) {
    const c = causeOfReason(req.reason);
    if (c === undefined)
      throw badRequest(`Invalid reason for hangup reason provided (use one of ${HANGUP_REASONS.join(', ')})`);
    cause = c;
  }
  void hangupChannel(core, ch, { kind: 'request', cause });
}

/**
 * POST /channels/{id}/continue. Hotline's dialplan only sends calls into Stasis applications:
 * continuing to an extension that enters an app moves the channel there; anything else is the
 * end of the dialplan, where Asterisk's Hangup() would be.
 */
export function continueInDialplan(
  core: MediaCore,
  id: string,
  req: { context?: string; extension?: string; priority?: number; label?: string },
): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  const context = req.context || ch.dialplan.context;
  const exten = req.extension || (req.context ? 's' : ch.dialplan.exten);
  const next = req.context || req.extension ? core.dialplan.extension(context, exten) : null;
  queued(core, ch, () => {
    leaveStasis(core, ch);
    ch.dialplan = { ...ch.dialplan, context, exten, priority: req.priority || ch.dialplan.priority + 1 };
    if (next && enterStasis(core, ch, next.app, next.args)) return;
    void hangupChannel(core, ch, { kind: 'request', cause: 16 });
  });
}

/** POST /channels/{id}/redirect: checked as Asterisk does, then refused (the SIP layer has no 302 yet). */
export function redirect(core: MediaCore, id: string, endpoint: string | undefined): void {
  const ch = core.control(id);
  core.assertStateValid(ch);
  if (!endpoint) throw badRequest("Required parameter 'endpoint' not provided.");
  const slash = endpoint.indexOf('/');
  if (slash <= 0)
    throw new CoreError('UNPROCESSABLE', `Endpoint parameter '${endpoint}' does not contain tech/resource`);
  const tech = endpoint.slice(0, slash);
  if (!endpoint.slice(slash + 1))
    throw new CoreError('UNPROCESSABLE', `No resource provided in endpoint parameter '${endpoint}'`);
  if (tech.toLowerCase() !== ch.technology.toLowerCase())
    throw new CoreError(
      'UNPROCESSABLE',
      `Endpoint technology '${tech}' does not match channel technology '${ch.technology}'`,
    );
  throw new CoreError(
    'NOT_IMPLEMENTED',
    'Redirect is not available: the SIP layer does not send 302 responses yet',
  );
}

export interface RtpStatSnapshot {
  txcount: number;
  rxcount: number;
  txjitter: number;
  rxjitter: number;
  txploss: number;
  rxploss: number;
  local_ssrc: number;
  remote_ssrc: number;
  txoctetcount: number;
  rxoctetcount: number;
  channel_uniqueid: string;
}

/** GET /channels/{id}/rtp_statistics. */
export async function rtpStatistics(core: MediaCore, id: string): Promise<RtpStatSnapshot> {
  const ch = core.channel(id);
  if (ch.technology === 'Snoop') throw new CoreError('BAD_REQUEST', 'Unsupported channel type', 403);
  const stats = await core.engine.stats(ch.id);
  if (!stats) throw new CoreError('CHANNEL_NOT_FOUND', 'RTP info not found');
  return {
    txcount: stats.txCount,
    rxcount: stats.rxCount,
    txjitter: 0,
    rxjitter: stats.rxJitter,
    txploss: 0,
    rxploss: stats.rxLost,
    local_ssrc: stats.localSsrc,
    remote_ssrc: stats.remoteSsrc,
    txoctetcount: stats.txOctets,
    rxoctetcount: stats.rxOctets,
    channel_uniqueid: ch.id,
  };
}
