/** A packet that is not valid RTP/RTCP; `code` tells which rule it broke. */
export class RtpParseError extends Error {
  constructor(
    readonly code:
      'RTP_TOO_SHORT' | 'RTP_BAD_VERSION' | 'RTP_BAD_LENGTH' | 'RTCP_BAD_LENGTH' | 'DTMF_TOO_SHORT',
    message: string,
  ) {
    super(message);
    this.name = 'RtpParseError';
  }
}
