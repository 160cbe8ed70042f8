// DTMF carried in SIP INFO bodies: `application/dtmf-relay` (Cisco's "Signal=5\r\nDuration=160")
// and `application/dtmf` (the bare digit). No RFC defines these; this reads what phones send.

export interface InfoDtmf {
  digit: string;
  durationMs: number;
}

const DEFAULT_DURATION_MS = 100;
const EVENT_DIGITS = '0123456789*#ABCD';

/** Maps a signal value to a DTMF digit: "5", "*", "#", "A".."D", or RFC 4733 event codes 10–15. */
function digitOf(signal: string): string | null {
  const s = signal.trim().toUpperCase();
  if (/^[0-9*#A-D]$/.test(s)) return s;
  if (/^1[0-5]$/.test(s)) return EVENT_DIGITS[Number(s)] ?? null;
  return null;
}

function durationOf(text: string | undefined): number {
  const n = Number(text?.trim());
  return Number.isInteger(n) && n > 0 && n <= 60_000 ? n : DEFAULT_DURATION_MS;
}

/** The content types whose INFO bodies carry DTMF. */
export const DTMF_INFO_TYPES = ['application/dtmf-relay', 'application/dtmf'] as const;

/** Reads a DTMF INFO body of the given content type; null when it carries no valid digit. */
export function parseInfoDtmf(contentType: string, body: string): InfoDtmf | null {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/dtmf') {
    const digit = digitOf(body);
    return digit ? { digit, durationMs: DEFAULT_DURATION_MS } : null;
  }
  if (type !== 'application/dtmf-relay') return null;
  const fields = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1));
  }
  const signal = fields.get('signal');
  const digit = signal === undefined ? null : digitOf(signal);
  return digit ? { digit, durationMs: durationOf(fields.get('duration')) } : null;
}
