// A channel: one call leg as ARI shows it (PJSIP call, externalMedia RTP stream or snoop tap),
// its state, caller ids, dialplan location, variables, subscriptions and command queue.
// Technology-specific behaviour (SIP signalling) lives behind ChannelDriver.
import type { Codec } from '../sip/contract.js';
import { ChannelState, nextState } from './channel-state.js';
import { ControlQueue } from './control-queue.js';
import { Subscribers } from './subscriptions.js';
import { ariTimestamp } from './time.js';
import type { PartyId } from './variables.js';

export type Technology = 'PJSIP' | 'UnicastRTP' | 'Snoop';

/** The signalling side of a channel. Media always goes through the engine endpoint `channel.id`. */
export interface ChannelDriver {
  readonly technology: Technology;
  /** The SIP Call-ID for PJSIP; empty otherwise. */
  readonly protocolId: string;
  /** Sets RTPAUDIOQOS* variables at hang-up, as chan_pjsip does. */
  readonly reportsQos: boolean;
  /** Answers an inbound call (200 OK). */
  answer(): Promise<void>;
  /** 180 Ringing, for an inbound call not answered yet. */
  indicateRinging(): void;
  /** 183 with SDP (early media), for an inbound call not answered yet. */
  indicateProgress(): void;
  /** Tells the far end the call is over (BYE, CANCEL or a final response). Idempotent. */
  hangup(cause: number): void;
  /** The audio codec in use, when known (for native RTP bridging). */
  codec(): Codec | null;
}

export interface DialplanLocation {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export interface StasisMembership {
  app: string;
  args: string[];
  /** Where the channel was before entering Stasis (restored at StasisEnd). */
  previousDialplan: { app_name: string; app_data: string };
}

export interface ChannelSnapshot {
  id: string;
  name: string;
  state: string;
  protocol_id: string;
  caller: PartyId;
  connected: PartyId;
  accountcode: string;
  dialplan: DialplanLocation;
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export interface ChannelInit {
  id: string;
  name: string;
  driver: ChannelDriver;
  state: ChannelState;
  caller?: PartyId;
  connected?: PartyId;
  dialplan: DialplanLocation;
  language: string;
}

export class Channel {
  readonly id: string;
  readonly name: string;
  readonly driver: ChannelDriver;
  readonly creationtime = new Date();
  readonly variables = new Map<string, string>();
  readonly subscribers = new Subscribers();
  readonly control = new ControlQueue();
  /** Snoop channels tapping this one (hung up with it). */
  readonly snoops = new Set<string>();
  caller: PartyId;
  connected: PartyId;
  dialplan: DialplanLocation;
  language: string;
  accountcode = '';
  stasis: StasisMembership | null = null;
  /** Id of the bridge the channel is in. */
  bridgeId: string | null = null;
  /** Hang-up has begun: the channel accepts no more commands. */
  hangingUp = false;
  hangupCause = 16;
  talkDetect = false;
  /** Local music on hold class playing to this channel, if any. */
  mohClass: string | null = null;
  held = false;
  /** Our RTP address and the far end's, when the channel has RTP (CHANNEL(rtp,src|dest)). */
  rtpLocal: { address: string; port: number } | null = null;
  rtpRemote: { address: string; port: number } | null = null;
  /** The far end put us on hold (re-INVITE sendonly/inactive). */
  remoteHold = false;
  muted = { in: false, out: false };
  /** 183 (early media) was sent. */
  earlyMedia = false;
  /** Outbound only: the Dial in progress, for its dial events. */
  dial: {
    dialstring: string;
    caller: Channel | null;
    active: boolean;
    publishDialstring: boolean;
    announced: boolean;
  } | null = null;
  /** The live recording running on this channel, if any. */
  recordingName: string | null = null;
  /** The playback running on this channel now (queued ones wait in `control`). */
  activePlayback: import('./playback.js').Playback | null = null;
  /** Snoop channels only: the channel they tap. */
  snoopTarget: string | null = null;
  /** Created by POST /channels/create: the dial string kept for POST /channels/{id}/dial. */
  createdDialstring: string | null = null;
  createdTarget: import('../sip/contract.js').DialTarget | null = null;
  createdCodecs: Codec[] | null = null;
  /** Resolves when hang-up has finished (set once hang-up begins). */
  hangupDone: Promise<void> | null = null;
  private currentState: ChannelState;

  constructor(init: ChannelInit) {
    this.id = init.id;
    this.name = init.name;
    this.driver = init.driver;
    this.currentState = init.state;
    this.caller = init.caller ?? { name: '', number: '' };
    this.connected = init.connected ?? { name: '', number: '' };
    this.dialplan = init.dialplan;
    this.language = init.language;
  }

  get state(): ChannelState {
    return this.currentState;
  }

  get technology(): Technology {
    return this.driver.technology;
  }

  /** Moves to `to` through the legal-move table; returns whether the state changed. */
  setState(to: ChannelState): boolean {
    const from = this.currentState;
    this.currentState = nextState(from, to);
    return from !== to;
  }

  snapshot(): ChannelSnapshot {
    return {
      id: this.id,
      name: this.name,
      state: this.currentState,
      protocol_id: this.driver.protocolId,
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: this.accountcode,
      dialplan: { ...this.dialplan },
      creationtime: ariTimestamp(this.creationtime),
      language: this.language,
    };
  }
}
