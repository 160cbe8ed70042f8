// Bridges: creating and destroying them, channels joining and leaving, and what Asterisk
// reports around it (ChannelEnteredBridge/LeftBridge, BRIDGEPEER, connected line updates,
// the bridge technology).
import { eventBody } from './applications.js';
import { Bridge, parseBridgeType } from './bridge.js';
import type { Channel } from './channel.js';
import { ChannelState } from './channel-state.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError, unprocessable } from './errors.js';
import { newUuid } from './ids.js';

export interface CreateBridgeRequest {
  type?: string;
  bridgeId?: string;
  name?: string;
}

export function createBridge(core: MediaCore, req: CreateBridgeRequest): Bridge {
  const id = req.bridgeId || newUuid();
  if (core.bridges.has(id)) throw new CoreError('BRIDGE_EXISTS', `Bridge with id '${id}' already exists`);
  const type = parseBridgeType(req.type);
  if (!type)
    throw badRequest(
      `Invalid bridge type '${req.type}': use mixing or holding (optionally with dtmf_events, proxy_media)`,
    );
  const bridge = new Bridge(id, type, req.name ?? '');
  core.bridges.set(id, bridge);
  core.engine.createMixer(id);
  core.publish(eventBody('BridgeCreated', { bridge: bridge.snapshot() }), [bridge.subscribers]);
  return bridge;
}

export interface AddChannelOptions {
  role?: string;
  absorbDTMF?: boolean;
  mute?: boolean;
  inhibitConnectedLineUpdates?: boolean;
}

/** Resolves ARI's channel list for addChannel/removeChannel (400 unknown, 422 not in Stasis). */
function channelsForBridge(core: MediaCore, ids: readonly string[]): Channel[] {
  const wanted = ids.map((id) => id.trim()).filter(Boolean);
  if (!wanted.length) throw badRequest('Missing parameter channel');
  return wanted.map((id) => {
    const ch = core.channels.get(id);
    if (!ch || ch.hangingUp) throw new CoreError('CHANNEL_NOT_FOUND', 'Channel not found', 400);
    if (!ch.stasis) throw unprocessable('Channel not in Stasis application');
    return ch;
  });
}

/**
 * POST /bridges/{id}/addChannel. Each channel joins through its own command queue, so the
 * request returns once every channel is in (after a playback running on it, as in Asterisk).
 */
export async function addChannels(
  core: MediaCore,
  bridgeId: string,
  ids: readonly string[],
  options: AddChannelOptions = {},
): Promise<void> {
  const bridge = core.bridge(bridgeId);
  const channels = channelsForBridge(core, ids);
  for (const ch of channels) {
    if (ch.recordingName) throw new CoreError('CONFLICT', `Channel ${ch.id} currently recording`);
  }
  for (const ch of channels) {
    await ch.control
      .run(() => {
        if (bridge.destroyed || ch.hangingUp) return;
        if (ch.bridgeId === bridge.id) return;
        if (ch.bridgeId) leaveBridge(core, ch);
        joinBridge(core, ch, bridge, options);
      })
      .catch(() => undefined);
  }
}

export async function removeChannels(
  core: MediaCore,
  bridgeId: string,
  ids: readonly string[],
): Promise<void> {
  const bridge = core.bridge(bridgeId);
  const channels = channelsForBridge(core, ids);
  if (channels.some((ch) => ch.bridgeId !== bridge.id)) throw unprocessable('Channel not in this bridge');
  for (const ch of channels) {
    await ch.control
      .run(() => {
        if (ch.bridgeId === bridge.id) leaveBridge(core, ch);
      })
      .catch(() => undefined);
  }
}

function joinBridge(core: MediaCore, ch: Channel, bridge: Bridge, options: AddChannelOptions): void {
  const role = options.role ?? '';
  bridge.channels.push(ch.id);
  bridge.roles.set(ch.id, role);
  ch.bridgeId = bridge.id;
  if (ch.stasis && !bridge.subscribers.has(ch.stasis.app)) bridge.subscribers.add(ch.stasis.app);
  const holdingParticipant = bridge.type === 'holding' && role !== 'announcer';
  core.engine.joinMixer(bridge.id, ch.id, { muted: Boolean(options.mute) || holdingParticipant });
  core.apps.publish(
    eventBody('ChannelEnteredBridge', { bridge: bridge.snapshot(), channel: ch.snapshot() }),
    {
      subscribers: [ch.subscribers, bridge.subscribers],
    },
  );
  if (bridge.type === 'holding') updateHoldingMusic(core, bridge);
  updatePeers(core, bridge, !options.inhibitConnectedLineUpdates);
  bridge.technology = chooseTechnology(core, bridge);
}

/** Takes a channel out of its bridge (hang-up, removeChannel, or a move to another bridge). */
export function leaveBridge(core: MediaCore, ch: Channel): void {
  const bridge = core.bridgeOf(ch);
  ch.bridgeId = null;
  if (!bridge) return;
  const at = bridge.channels.indexOf(ch.id);
  if (at >= 0) bridge.channels.splice(at, 1);
  bridge.roles.delete(ch.id);
  core.engine.leaveMixer(bridge.id, ch.id);
  if (ch.variables.get('BRIDGEPEER')) core.setVariable(ch, 'BRIDGEPEER', '');
  if (ch.variables.get('BRIDGEPVTCALLID')) core.setVariable(ch, 'BRIDGEPVTCALLID', '');
  core.apps.publish(eventBody('ChannelLeftBridge', { bridge: bridge.snapshot(), channel: ch.snapshot() }), {
    subscribers: [ch.subscribers, bridge.subscribers],
  });
  if (bridge.type === 'holding') {
    if (ch.mohClass === '__holding__') {
      core.engine.stopMusicOnHold({ endpoint: ch.id });
      ch.mohClass = null;
    }
    updateHoldingMusic(core, bridge);
  }
  if (bridge.channels.length >= 2) updatePeers(core, bridge, true);
  bridge.technology = chooseTechnology(core, bridge);
}

/** BRIDGEPEER / BRIDGEPVTCALLID on every member, and each side's connected line in a two-party bridge. */
function updatePeers(core: MediaCore, bridge: Bridge, connectedLine: boolean): void {
  const members = bridge.channels.map((id) => core.channels.get(id)).filter((c): c is Channel => Boolean(c));
  if (members.length < 2) return;
  for (const ch of members) {
    const others = members.filter((o) => o !== ch);
    const peer = others.map((o) => o.name).join(',');
    if (ch.variables.get('BRIDGEPEER') !== peer) core.setVariable(ch, 'BRIDGEPEER', peer);
    const callId = others.length === 1 ? others[0]!.driver.protocolId : '';
    if (callId && ch.variables.get('BRIDGEPVTCALLID') !== callId)
      core.setVariable(ch, 'BRIDGEPVTCALLID', callId);
  }
  if (!connectedLine || members.length !== 2) return;
  const [a, b] = members as [Channel, Channel];
  for (const [ch, other] of [
    [a, b],
    [b, a],
  ] as const) {
    if (ch.connected.name === other.caller.name && ch.connected.number === other.caller.number) continue;
    ch.connected = { ...other.caller };
    core.publishChannel(ch, 'ChannelConnectedLine');
  }
}

/** Asterisk's smart bridge choice, re-made after every join and leave. */
function chooseTechnology(core: MediaCore, bridge: Bridge): string {
  if (bridge.type === 'holding') return 'holding_bridge';
  const virtual = (bridge.mohClass ? 1 : 0) + (bridge.recordingName ? 1 : 0) + (bridge.announcing ? 1 : 0);
  const members = bridge.channels.map((id) => core.channels.get(id));
  const count = members.length + virtual;
  if (count > 2) return 'softmix';
  if (count === 2 && virtual === 0) {
    const [a, b] = members;
    const native =
      a &&
      b &&
      a.technology === 'PJSIP' &&
      b.technology === 'PJSIP' &&
      a.state === ChannelState.Up &&
      b.state === ChannelState.Up &&
      a.driver.codec() !== null &&
      a.driver.codec() === b.driver.codec();
    if (native) return 'native_rtp';
  }
  return 'simple_bridge';
}

/** Re-chooses the technology when bridge-level media (music, recorder) comes or goes. */
export function refreshTechnology(core: MediaCore, bridge: Bridge): void {
  bridge.technology = chooseTechnology(core, bridge);
}

/** Holding bridges: participants hear music unless an announcer is in. */
function updateHoldingMusic(core: MediaCore, bridge: Bridge): void {
  const announcer = [...bridge.roles.values()].includes('announcer');
  for (const id of bridge.channels) {
    const ch = core.channels.get(id);
    if (!ch || bridge.roles.get(id) === 'announcer') continue;
    if (!announcer && !ch.mohClass) {
      const files = core.mohFiles('default');
      if (files?.length) {
        core.engine.startMusicOnHold({ endpoint: ch.id }, files);
        ch.mohClass = '__holding__';
      }
    } else if (announcer && ch.mohClass === '__holding__') {
      core.engine.stopMusicOnHold({ endpoint: ch.id });
      ch.mohClass = null;
    }
  }
}

/** DELETE /bridges/{id}: every channel leaves (and goes back to its application), then BridgeDestroyed. */
export function destroyBridge(core: MediaCore, bridgeId: string): void {
  const bridge = core.bridge(bridgeId);
  bridge.destroyed = true;
  bridge.playbackQueue.close();
  for (const id of [...bridge.channels]) {
    const ch = core.channels.get(id);
    if (ch) leaveBridge(core, ch);
  }
  for (const pb of core.playbacks.values()) {
    if ('bridge' in pb.target && pb.target.bridge === bridge.id) pb.interrupt('hangup');
  }
  if (bridge.recordingName && core.liveRecordings.has(bridge.recordingName))
    core.engine.stopRecording(bridge.recordingName);
  if (bridge.mohClass) core.engine.stopMusicOnHold({ mixer: bridge.id });
  core.engine.destroyMixer(bridge.id);
  core.bridges.delete(bridge.id);
  core.publish(eventBody('BridgeDestroyed', { bridge: bridge.snapshot() }), [bridge.subscribers]);
  bridge.subscribers.clear();
}

export function startBridgeMoh(core: MediaCore, bridgeId: string, mohClass: string | undefined): void {
  const bridge = core.bridge(bridgeId);
  // An unknown class falls back to the default one, as in Asterisk.
  const files = core.mohFiles(mohClass) ?? core.mohFiles('default') ?? [];
  if (bridge.mohClass) core.engine.stopMusicOnHold({ mixer: bridge.id });
  core.engine.startMusicOnHold({ mixer: bridge.id }, files);
  bridge.mohClass = mohClass || 'default';
  refreshTechnology(core, bridge);
}

export function stopBridgeMoh(core: MediaCore, bridgeId: string): void {
  const bridge = core.bridge(bridgeId);
  if (!bridge.mohClass) throw new CoreError('CONFLICT', "Bridge isn't playing music");
  core.engine.stopMusicOnHold({ mixer: bridge.id });
  bridge.mohClass = null;
  refreshTechnology(core, bridge);
}
