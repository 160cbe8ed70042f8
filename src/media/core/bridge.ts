// A bridge: channels whose audio is mixed (type `mixing`) or held apart (`holding`), as ARI
// shows it. `technology` follows Asterisk's smart bridge: two RTP calls with the same codec are
// relayed packet for packet (native_rtp), three or more are mixed (softmix), anything else is a
// simple_bridge; it is re-chosen after each join or leave, as in Asterisk, so the event about a
// join still shows the technology from before it.
import { ControlQueue } from './control-queue.js';
import { Subscribers } from './subscriptions.js';
import { ariTimestamp } from './time.js';

export type BridgeType = 'mixing' | 'holding';

/** The type words ARI accepts in POST /bridges?type= (comma-separated). */
export const BRIDGE_TYPE_WORDS = [
  'mixing',
  'holding',
  'dtmf_events',
  'proxy_media',
  'video_sfu',
  'video_single',
  'sdp_label',
];

export interface BridgeSnapshot {
  id: string;
  technology: string;
  bridge_type: BridgeType;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
  video_mode: string;
}

export class Bridge {
  readonly creationtime = new Date();
  readonly subscribers = new Subscribers();
  /** Channel ids in join order. */
  readonly channels: string[] = [];
  /** Bridge playbacks run one after another, as through Asterisk's announcer channel. */
  readonly playbackQueue = new ControlQueue();
  technology: string;
  mohClass: string | null = null;
  recordingName: string | null = null;
  /** A bridge playback is running (Asterisk's announcer channel is in the bridge meanwhile). */
  announcing = false;
  /** Roles given at addChannel (holding bridges: announcer / participant). */
  readonly roles = new Map<string, string>();
  destroyed = false;

  constructor(
    readonly id: string,
    readonly type: BridgeType,
    readonly name: string,
  ) {
    this.technology = type === 'holding' ? 'holding_bridge' : 'simple_bridge';
  }

  snapshot(): BridgeSnapshot {
    return {
      id: this.id,
      technology: this.technology,
      bridge_type: this.type,
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: this.name,
      channels: [...this.channels],
      creationtime: ariTimestamp(this.creationtime),
      video_mode: this.type === 'holding' ? 'none' : 'talker',
    };
  }
}

/** Parses ARI's `type` list. Returns null for a word ARI does not know. */
export function parseBridgeType(type: string | undefined): BridgeType | null {
  const words = (type ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.some((w) => !BRIDGE_TYPE_WORDS.includes(w))) return null;
  return words.includes('holding') ? 'holding' : 'mixing';
}
