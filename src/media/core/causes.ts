// Q.850 hangup causes as Asterisk names them (ChannelDestroyed.cause_txt), and the reasons ARI
// accepts in DELETE /channels/{id}?reason=.

const CAUSES: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transmit network',
  3: 'No route to destination',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  22: 'Number changed',
  23: 'Redirected to new destination',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format',
  29: 'Facility rejected',
  30: 'Response to STATus ENQuiry',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  43: 'Access information discarded',
  44: 'Requested channel not available',
  50: 'Requested facility not subscribed',
  52: 'Outgoing call barred',
  54: 'Incoming call barred',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not available',
  65: 'Bearer capability not implemented',
  66: 'Channel not implemented',
  69: 'Facility not implemented',
  81: 'Invalid call reference value',
  88: 'Incompatible destination',
  95: 'Invalid message unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type nonexist.',
  98: 'Wrong message',
  99: 'Info. element nonexist or not implemented',
  100: 'Invalid information element contents',
  101: 'Message not compatible with call state',
  102: 'Recover on timer expiry',
  103: 'Mandatory IE length error',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

export const Cause = {
  Unallocated: 1,
  NormalClearing: 16,
  UserBusy: 17,
  NoUserResponse: 18,
  NoAnswer: 19,
  CallRejected: 21,
  AnsweredElsewhere: 26,
  InvalidNumberFormat: 28,
  NormalUnspecified: 31,
  Congestion: 34,
  TemporaryFailure: 41,
  ChannelUnavailable: 44,
  BearerCapabilityNotAvailable: 58,
  Interworking: 127,
  Failure: 38,
} as const;

export function causeText(cause: number): string {
  return CAUSES[cause] ?? 'Unknown';
}

const REASONS: Record<string, number> = {
  normal: Cause.NormalClearing,
  busy: Cause.UserBusy,
  congestion: Cause.Congestion,
  no_answer: Cause.NoAnswer,
  timeout: Cause.NoUserResponse,
  rejected: Cause.CallRejected,
  unallocated: Cause.Unallocated,
  normal_unspecified: Cause.NormalUnspecified,
  number_incomplete: Cause.InvalidNumberFormat,
  codec_mismatch: Cause.BearerCapabilityNotAvailable,
  interworking: Cause.Interworking,
  failure: Cause.Failure,
  answered_elsewhere: Cause.AnsweredElsewhere,
};

/** The Q.850 cause for an ARI hangup reason, or undefined for a reason ARI does not know. */
export function causeOfReason(reason: string): number | undefined {
  return REASONS[reason];
}

export const HANGUP_REASONS = Object.keys(REASONS);

/** Dial status for a failed outbound call's cause, as Asterisk's Dial event reports it. */
export function dialStatusOfCause(cause: number): string {
  switch (cause) {
    case Cause.UserBusy:
      return 'BUSY';
    case Cause.NoAnswer:
    case Cause.NoUserResponse:
      return 'NOANSWER';
    case Cause.Congestion:
    case 42:
      return 'CONGESTION';
    case Cause.Unallocated:
    case 3:
    case Cause.ChannelUnavailable:
    case 20:
    case 27:
      return 'CHANUNAVAIL';
    default:
      return 'CONGESTION';
  }
}
