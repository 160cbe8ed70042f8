// Tone names for `tone:` media and ringing, in Asterisk's indication syntax (US tone zone, as in
// indications.conf): "f1+f2/ms,..." repeats; a part starting with "!" plays once.

const US_TONES: Record<string, string> = {
  dial: '350+440',
  busy: '480+620/500,0/500',
  ring: '440+480/2000,0/4000',
  congestion: '480+620/250,0/250',
  callwaiting: '440/300,0/10000',
  dialrecall: '!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440',
  record: '1400/500,0/15000',
  info: '!950/330,!1400/330,!1800/330,0',
  stutter:
    '!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440',
  beep: '!1000/250',
};

export interface ResolvedTone {
  tone: string;
  /** Set when the tone plays once (every part starts with "!"), so the playback ends by itself. */
  durationMs?: number;
}

const PART = /^!?\d+(?:[+*]\d+)?(?:\/\d+)?$/;

/**
 * A tone name (ring, busy, ...) or a raw indication string; `;tonezone=xx` is accepted and
 * ignored (only the US zone is built in). Returns null when it is neither.
 */
export function resolveTone(spec: string): ResolvedTone | null {
  const name = spec.split(';')[0]!.trim();
  const tone = US_TONES[name.toLowerCase()] ?? name;
  const parts = tone.split(',').map((p) => p.trim());
  if (!parts.length || !parts.every((p) => PART.test(p) || p === '0' || p === '!0')) return null;
  if (!parts.every((p) => p.startsWith('!'))) return { tone };
  const durationMs = parts.reduce((sum, p) => sum + Number(p.split('/')[1] ?? 0), 0);
  return { tone, durationMs };
}

export function toneOf(name: keyof typeof US_TONES): string {
  return US_TONES[name] ?? name;
}
