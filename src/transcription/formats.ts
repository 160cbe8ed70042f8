// A call's transcript as people and players read it: plain text and WebVTT (W3C), from segments
// already in spoken order.
import type { Party, TranscriptSegment } from './segment.js';

const SPEAKER: Record<Party, string> = { caller: 'Caller', agent: 'Agent' };

/** 75300 → "01:15.300"; hours appear when needed ("1:02:03.004") in plain text. */
function clock(ms: number, alwaysHours: boolean): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const frac = total % 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  const base = `${two(m)}:${two(s)}.${String(frac).padStart(3, '0')}`;
  if (alwaysHours) return `${two(h)}:${base}`;
  return h ? `${h}:${base}` : base;
}

/** One line per segment: "[00:01.200] Caller: text". */
export function transcriptText(segments: TranscriptSegment[]): string {
  return segments.map((s) => `[${clock(s.startMs, false)}] ${SPEAKER[s.party]}: ${s.text}\n`).join('');
}

/** WebVTT cue text: no markup from the recogniser, no "-->", no blank lines. */
function cueText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** WebVTT with one cue per segment and the speaker as a voice span (`<v Caller>`). */
export function transcriptWebVtt(segments: TranscriptSegment[]): string {
  const cues = segments.map((s, i) => {
    const end = Math.max(s.endMs, s.startMs + 1);
    return `${i + 1}\n${clock(s.startMs, true)} --> ${clock(end, true)}\n<v ${SPEAKER[s.party]}>${cueText(s.text)}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
}
