// RFC 4733 telephone-event payload (DTMF): event | E | R | volume | duration, 4 bytes.
import { RtpParseError } from './errors.js';

export interface TelephoneEvent {
  /** 0-9, 10 = '*', 11 = '#', 12-15 = A-D, other events as numbers. */
  event: number;
  /** The end bit: set on the last packets of the event (sent three times). */
  end: boolean;
  /** Power level in -dBm0 (0-63). */
  volume: number;
  /** Duration so far in RTP timestamp units. */
  duration: number;
}

const DIGITS = '0123456789*#ABCD';

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < 4)
    throw new RtpParseError('DTMF_TOO_SHORT', `telephone-event of ${payload.length} bytes`);
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

export function serializeTelephoneEvent(event: TelephoneEvent, out = Buffer.alloc(4), at = 0): Buffer {
  out[at] = event.event;
  out[at + 1] = (event.end ? 0x80 : 0) | (event.volume & 0x3f);
  out[at + 2] = (event.duration >> 8) & 0xff;
  out[at + 3] = event.duration & 0xff;
  return out;
}

/** '5' → 5, '*' → 10, '#' → 11, 'A'..'D' → 12..15; -1 for anything else. */
export function dtmfEventOf(digit: string): number {
  return DIGITS.indexOf(digit.toUpperCase());
}

/** 5 → '5', 10 → '*', 11 → '#'; null for events that are not DTMF keys. */
export function dtmfDigitOf(event: number): string | null {
  return event >= 0 && event < DIGITS.length ? DIGITS[event]! : null;
}
