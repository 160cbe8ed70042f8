// The channel core: Asterisk's resource model (channels, bridges, playbacks, recordings,
// applications) over the SIP layer and the media engine. It holds the registries and the
// helpers every operation shares; the operations themselves live one concern per file
// (inbound.ts, outbound.ts, hangup.ts, channel-media.ts, bridges.ts, playbacks.ts, ...).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { MediaEngine, MediaEngineEvent, RtpEndpointSettings } from '../engine/contract.js';
import type { NegotiatedMedia, SipServer } from '../sip/contract.js';
import { Applications, eventBody, type EventBody } from './applications.js';
import type { Bridge } from './bridge.js';
import type { Channel } from './channel.js';
import { isPreDial } from './channel-state.js';
import type { Dialplan } from './dialplan.js';
import { channelNotFound, CoreError } from './errors.js';
import { MediaResolver } from './media-uri.js';
import type { Playback } from './playback.js';
import { type LiveRecording, StoredRecordings } from './recordings.js';
import { SoundLibrary } from './sounds.js';
import { Subscribers } from './subscriptions.js';

export interface CoreSettings {
  /** Address RTP sockets bind to. */
  bindAddress: string;
  /** Calls (SIP channels) at once before new INVITEs get 503. */
  maxCalls: number;
  soundsDirs: string[];
  /** Music on hold: class → folder of audio files. */
  mohClasses: Record<string, string>;
  recordingsDir: string;
  /** Language of new channels. */
  defaultLanguage: string;
  /** ARI's asterisk_id / entity id (a MAC-like string, as Asterisk uses). */
  asteriskId: string;
  /** Seconds an outbound dial rings before giving up when the request gives no timeout. */
  defaultDialTimeoutS: number;
}

export interface CoreCounts {
  channels: number;
  bridges: number;
  playbacks: number;
  liveRecordings: number;
}

type EngineListener = (event: MediaEngineEvent) => void;

export class MediaCore {
  readonly apps: Applications;
  readonly channels = new Map<string, Channel>();
  readonly bridges = new Map<string, Bridge>();
  readonly playbacks = new Map<string, Playback>();
  readonly liveRecordings = new Map<string, LiveRecording>();
  readonly stored: StoredRecordings;
  readonly sounds: SoundLibrary;
  readonly media: MediaResolver;
  /** Explicit subscriptions to endpoints ("PJSIP/agent1"). */
  readonly endpointSubscribers = new Map<string, Subscribers>();
  readonly startedAt = new Date();
  /** Global variables (GET/POST /asterisk/variable). */
  readonly globals = new Map<string, string>();
  /** Per engine playback / recording id, who wants its events. */
  readonly engineWaiters = new Map<string, EngineListener>();
  private readonly engineHandlers: EngineListener[] = [];
  stopping = false;

  constructor(
    readonly sip: SipServer,
    readonly engine: MediaEngine,
    readonly dialplan: Dialplan,
    readonly settings: CoreSettings,
    readonly log: Logger,
  ) {
    this.apps = new Applications(settings.asteriskId);
    this.stored = new StoredRecordings(settings.recordingsDir);
    this.sounds = new SoundLibrary(settings.soundsDirs);
    this.media = new MediaResolver(this.sounds, this.stored);
    engine.on((event) => this.onEngineEvent(event));
  }

  /** Handlers for engine events about endpoints (DTMF, RTP timeouts, talking). */
  onEngine(handler: EngineListener): void {
    this.engineHandlers.push(handler);
  }

  private onEngineEvent(event: MediaEngineEvent): void {
    try {
      if (event.type === 'playback') this.engineWaiters.get(event.playback)?.(event);
      else if (event.type === 'recording') this.engineWaiters.get(event.recording)?.(event);
      else for (const handler of this.engineHandlers) handler(event);
    } catch (err) {
      this.log.error({ err, event }, 'handling a media engine event failed');
    }
  }

  counts(): CoreCounts {
    return {
      channels: this.channels.size,
      bridges: this.bridges.size,
      playbacks: this.playbacks.size,
      liveRecordings: this.liveRecordings.size,
    };
  }

  /** SIP calls up or being set up (for media.maxCalls). */
  sipCallCount(): number {
    let n = 0;
    for (const ch of this.channels.values()) if (ch.technology === 'PJSIP') n += 1;
    return n;
  }

  // ---- lookups, with Asterisk's errors ----

  /** Any live channel, or 404 "Channel not found". */
  channel(id: string, message?: string): Channel {
    const ch = this.channels.get(id);
    if (!ch || ch.hangingUp) throw channelNotFound(message);
    return ch;
  }

  /** A channel an application controls: 404 if unknown, 409 if not in Stasis. */
  control(id: string): Channel {
    const ch = this.channel(id);
    if (!ch.stasis) throw new CoreError('CHANNEL_NOT_IN_STASIS', 'Channel not in Stasis application');
    return ch;
  }

  /** Refuses media and answer operations on an outbound channel not yet answered (412). */
  assertStateValid(ch: Channel): void {
    if (isPreDial(ch.state)) throw new CoreError('CHANNEL_INVALID_STATE', 'Channel in invalid state');
  }

  bridge(id: string): Bridge {
    const br = this.bridges.get(id);
    if (!br || br.destroyed) throw new CoreError('BRIDGE_NOT_FOUND', 'Bridge not found');
    return br;
  }

  bridgeOf(ch: Channel): Bridge | null {
    return ch.bridgeId ? (this.bridges.get(ch.bridgeId) ?? null) : null;
  }

  /** Registers a new channel; applications with subscribeAll hear ChannelCreated. */
  addChannel(ch: Channel): void {
    this.channels.set(ch.id, ch);
    this.apps.publish(eventBody('ChannelCreated', { channel: ch.snapshot() }), { subscribers: [] });
  }

  // ---- events ----

  publish(body: EventBody, subscribers: readonly (Subscribers | undefined)[]): void {
    this.apps.publish(body, { subscribers });
  }

  /** An event about a channel, to the applications subscribed to it (and to `extra`). */
  publishChannel(
    ch: Channel,
    type: string,
    fields: Record<string, unknown> = {},
    extra: (Subscribers | undefined)[] = [],
  ): void {
    this.apps.publish(eventBody(type, { ...fields, channel: ch.snapshot() }), {
      subscribers: [ch.subscribers, ...extra],
    });
  }

  /** Sets a channel variable and reports it (ChannelVarset) to the channel's subscribers. */
  setVariable(ch: Channel, name: string, value: string, report = true): void {
    ch.variables.set(name, value);
    if (report) this.publishChannel(ch, 'ChannelVarset', { variable: name, value });
  }

  /** Dial event for an outbound channel (peer), as Asterisk's dial API publishes it. */
  publishDial(peer: Channel, dialstatus: string): void {
    const dial = peer.dial;
    const dialstring = dial && (dial.publishDialstring || !dial.announced) ? dial.dialstring : '';
    if (dial) dial.announced = true;
    this.apps.publish(eventBody('Dial', { dialstatus, forward: '', dialstring, peer: peer.snapshot() }), {
      subscribers: [peer.subscribers, dial?.caller?.subscribers],
    });
  }

  /** Ends the playback running on a channel that is hanging up; resolves once it has reported. */
  async interruptPlaybacks(ch: Channel): Promise<void> {
    const pb = ch.activePlayback;
    if (!pb) return;
    pb.interrupt('hangup');
    await pb.settled;
  }

  /** Called when a channel has left the registry. */
  onChannelGone(ch: Channel): void {
    for (const listener of this.goneListeners) listener(ch);
  }

  readonly goneListeners = new Set<(ch: Channel) => void>();

  // ---- media helpers ----

  /** Engine settings for a SIP call's negotiated media. */
  rtpSettings(media: NegotiatedMedia, sending: boolean): RtpEndpointSettings {
    const held = media.direction === 'sendonly' || media.direction === 'inactive';
    return {
      remote: sending ? media.remote : null,
      codec: media.codec,
      payloadType: media.payloadType,
      sampleRate: media.sampleRate,
      rtpClockRate: media.rtpClockRate,
      dtmfPayloadType: media.dtmfPayloadType,
      ptime: media.ptime,
      latch: true,
      // The peer holding us (sendonly/inactive) means we send nothing and hear what it sends.
      direction: held ? (media.direction === 'inactive' ? 'inactive' : 'recvonly') : 'sendrecv',
    };
  }

  /** Files of a music on hold class (null for an unknown class). */
  mohFiles(mohClass: string | undefined): string[] | null {
    const dir = this.settings.mohClasses[mohClass || 'default'];
    if (!dir) return null;
    return listAudioFiles(dir);
  }
}

const AUDIO = /\.(wav|ulaw|alaw|sln|sln16|g722)$/i;

function listAudioFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => AUDIO.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}
