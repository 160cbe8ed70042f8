// RFC 4733 DTMF in: one key press is many packets with the same RTP timestamp (the duration
// growing), ending with three copies of the end packet. Report each key press once, when it ends
// — or when the next one starts, if its end packets were all lost.
import { dtmfDigitOf, parseTelephoneEvent } from '../rtp/index.js';

export interface DtmfPress {
  digit: string;
  durationMs: number;
}

export class DtmfReceiver {
  private eventTimestamp = -1;
  private eventSsrc = -1;
  private current: { digit: string; duration: number } | null = null;
  private reported = false;

  constructor(private readonly clockRate: number) {}

  /** Feeds one telephone-event payload; returns the key press it completes, if any. */
  receive(ssrc: number, timestamp: number, payload: Uint8Array): DtmfPress | null {
    if (payload.length < 4) return null;
    const event = parseTelephoneEvent(payload);
    const digit = dtmfDigitOf(event.event);
    if (digit === null) return null;
    let unreported: DtmfPress | null = null;
    if (timestamp !== this.eventTimestamp || ssrc !== this.eventSsrc) {
      if (this.current && !this.reported) unreported = this.press(this.current.digit, this.current.duration);
      this.eventTimestamp = timestamp;
      this.eventSsrc = ssrc;
      this.current = { digit, duration: event.duration };
      this.reported = false;
    } else if (this.current) {
      this.current.duration = Math.max(this.current.duration, event.duration);
    }
    if (event.end && !this.reported && this.current) {
      this.reported = true;
      // A lost start is fine; a new press hidden by the lost end is reported first.
      return unreported ?? this.press(this.current.digit, this.current.duration);
    }
    return unreported;
  }

  private press(digit: string, duration: number): DtmfPress {
    return { digit, durationMs: Math.round((duration * 1000) / this.clockRate) };
  }
}
