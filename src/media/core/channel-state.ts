// A channel's state, in Asterisk's words (the strings ARI shows), with every legal move in one
// place. Every change goes through `nextState`, which refuses an illegal move.
//
//   inbound call:        Ring ──answer──▶ Up
//   outbound call:       Down ──INVITE sent──▶ Ringing ──200 OK──▶ Up
//                        Down ───────────────200 OK─────────────▶ Up   (no 180 first)
//                        Down | Ringing ──486──▶ Busy                    (then destroyed)
//   snoop:               Up from the start
//   externalMedia:       Down ──▶ Up at once
// A hung-up channel has no state: it leaves the registry.

export enum ChannelState {
  Down = 'Down',
  Reserved = 'Rsrvd',
  OffHook = 'OffHook',
  Dialing = 'Dialing',
  Ring = 'Ring',
  Ringing = 'Ringing',
  Up = 'Up',
  Busy = 'Busy',
  DialingOffhook = 'Dialing Offhook',
  PreRing = 'Pre-ring',
  Unknown = 'Unknown',
}

const LEGAL: Record<ChannelState, readonly ChannelState[]> = {
  [ChannelState.Down]: [ChannelState.Ringing, ChannelState.Up, ChannelState.Busy, ChannelState.Dialing],
  [ChannelState.Reserved]: [ChannelState.Down, ChannelState.Ringing, ChannelState.Up],
  [ChannelState.OffHook]: [ChannelState.Dialing, ChannelState.Up],
  [ChannelState.Dialing]: [ChannelState.Ringing, ChannelState.Up, ChannelState.Busy],
  [ChannelState.Ring]: [ChannelState.Up],
  [ChannelState.Ringing]: [ChannelState.Up, ChannelState.Busy],
  [ChannelState.Up]: [],
  [ChannelState.Busy]: [],
  [ChannelState.DialingOffhook]: [ChannelState.Up],
  [ChannelState.PreRing]: [ChannelState.Ring, ChannelState.Up],
  [ChannelState.Unknown]: [],
};

export class IllegalStateChange extends Error {
  readonly code = 'ILLEGAL_STATE_CHANGE';
  constructor(from: ChannelState, to: ChannelState) {
    super(`A channel cannot go from ${from} to ${to}`);
    this.name = 'IllegalStateChange';
  }
}

/** Returns `to` if the move is legal (staying put is always legal), throws otherwise. */
export function nextState(from: ChannelState, to: ChannelState): ChannelState {
  if (from === to || LEGAL[from].includes(to)) return to;
  throw new IllegalStateChange(from, to);
}

/**
 * States in which Asterisk refuses media and answer operations with 412 "Channel in invalid
 * state": an outbound channel not yet answered.
 */
export function isPreDial(state: ChannelState): boolean {
  return state === ChannelState.Down || state === ChannelState.Reserved || state === ChannelState.Ringing;
}
