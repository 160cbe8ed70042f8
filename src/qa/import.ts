// Transcripts imported as JSON lines, one call per line, so QA runs on text alone (docs/qa.md):
//   {"callId":"c1","startedAt":"2026-11-24T09:00:00Z","agent":"alice","queue":"billing",
//    "language":"en-US","segments":[{"party":"agent","startMs":0,"endMs":2100,"text":"..."}]}
// Also read: the dialogue shape of public customer-service corpora ({"id", "lang", "turns":
// [{"speaker":"customer"|"agent"|…,"text"}]}, or one caller utterance as "text"). Segments
// without times get times estimated from their length, in order.
import { z } from 'zod';
import type { CallTranscript, Party, QaSegment } from './types.js';
import { hasChinese } from './text/normalise.js';

export class TranscriptImportError extends Error {
  readonly code = 'HOTLINE_QA_BAD_TRANSCRIPT';
  constructor(message: string) {
    super(message);
    this.name = 'TranscriptImportError';
  }
}

const party = z.enum(['caller', 'agent']);

const segmentSchema = z
  .object({
    party: party.optional(),
    speaker: z.string().optional(),
    startMs: z.number().min(0).optional(),
    endMs: z.number().min(0).optional(),
    text: z.string(),
    language: z.string().optional(),
    seq: z.number().int().min(0).optional(),
  })
  .refine((s) => s.party || s.speaker, 'each segment needs a party (caller|agent) or a speaker');

const callSchema = z
  .object({
    callId: z.string().min(1).max(200).optional(),
    id: z.string().min(1).max(200).optional(),
    startedAt: z.coerce.date().optional(),
    agent: z.string().nullish(),
    queue: z.string().nullish(),
    language: z.string().nullish(),
    lang: z.string().optional(),
    segments: z.array(segmentSchema).optional(),
    turns: z.array(segmentSchema).optional(),
    text: z.string().optional(),
  })
  .refine((c) => c.callId || c.id, { message: 'a call needs a callId', path: ['callId'] })
  .refine((c) => c.segments || c.turns || c.text !== undefined, {
    message: 'a call needs segments (or turns, or text)',
    path: ['segments'],
  });

export type ImportedCall = z.input<typeof callSchema>;

const callerSpeakers = /^(caller|customer|user|client|consumer|客户|用户|顾客|买家)$/i;

function partyOf(segment: { party?: Party; speaker?: string }): Party {
  if (segment.party) return segment.party;
  return callerSpeakers.test(segment.speaker ?? '') ? 'caller' : 'agent';
}

/** Speaking time a text takes, for transcripts that carry none: ~4 characters/s in Chinese, ~2.5 words/s in English. */
function estimatedMs(text: string): number {
  const units = hasChinese(text) ? [...text].length / 4 : text.split(/\s+/).filter(Boolean).length / 2.5;
  return Math.max(1000, Math.round(units * 1000));
}

/** Validates one imported call and turns it into a transcript QA can analyse. */
export function transcriptFromJson(value: unknown): CallTranscript {
  const parsed = callSchema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(call)'}: ${i.message}`).join('; ');
    throw new TranscriptImportError(detail);
  }
  const call = parsed.data;
  const language = call.language ?? call.lang ?? null;
  const raw = call.segments ?? call.turns ?? [{ party: 'caller' as const, text: call.text ?? '' }];
  let clock = 0;
  const segments: QaSegment[] = raw.map((s, i) => {
    const startMs = s.startMs ?? clock;
    const endMs = s.endMs ?? startMs + estimatedMs(s.text);
    clock = Math.max(clock, endMs + 500);
    return {
      seq: s.seq ?? i,
      party: partyOf(s),
      startMs,
      endMs,
      text: s.text,
      ...((s.language ?? language) ? { language: (s.language ?? language)! } : {}),
      ...(s.speaker ? { speaker: s.speaker } : {}),
    };
  });
  return {
    callId: (call.callId ?? call.id)!,
    ...(call.startedAt ? { startedAt: call.startedAt } : {}),
    agent: call.agent ?? null,
    queue: call.queue ?? null,
    language,
    segments,
  };
}

/** Parses one line of a JSONL file; errors name the line. */
export function transcriptFromLine(line: string, lineNumber: number): CallTranscript {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new TranscriptImportError(`line ${lineNumber}: not JSON (${(err as Error).message})`);
  }
  try {
    return transcriptFromJson(value);
  } catch (err) {
    if (err instanceof TranscriptImportError)
      throw new TranscriptImportError(`line ${lineNumber}: ${err.message}`);
    throw err;
  }
}
