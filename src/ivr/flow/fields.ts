// Building blocks shared by the verbs' step schemas: step names, prompts, bilingual text,
// durations. Each verb's file composes its own step schema from these.
import { z } from 'zod';

/** A step's name: what transitions point at. */
export const stepName = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'a step name is letters, digits, - _ . (starting with a letter or digit)');

/** A flow's name (file name without .yaml unless the file says `name:`). */
export const flowName = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'a flow name is letters, digits, - _ . (starting with a letter or digit)');

/** Seconds, e.g. `timeout: 5` or `timeout: 0.5`. */
export const seconds = z.number().positive().max(86_400);

/** Text in every language (`"Hello"`) or per language (`{ en: "Hello", zh: "您好" }`). */
export const localizedText = z.union(
  [
    z.string().min(1),
    z.record(
      z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'a language code such as en or zh'),
      z.string(),
    ),
  ],
  { error: 'text is a string, or a mapping of language → string such as { en: Hello, zh: 您好 }' },
);
export type LocalizedText = z.infer<typeof localizedText>;

const promptObject = z
  .object({
    /** Text to speak (TTS), in the call's language. */
    say: localizedText.optional(),
    /** A recorded prompt `sounds/<lang>/<name>.wav`; with `say`, played instead of the TTS when present. */
    sound: z
      .string()
      .regex(/^[\w/.-]+$/, 'a sound name such as main-menu or custom/welcome')
      .optional(),
    /** Any ARI media URI, e.g. `digits:{{order}}`, `number:3`, `tone:ring`, `recording:vm-1`. */
    media: z
      .string()
      .regex(/^(sound|digits|number|characters|tone|recording):/, 'an ARI media URI')
      .optional(),
    /** Speak / look up this item in this language whatever the call's language (a bilingual welcome). */
    lang: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => p.say !== undefined || p.sound !== undefined || p.media !== undefined, {
    message: 'a prompt needs say, sound or media',
  })
  .refine((p) => p.media === undefined || (p.say === undefined && p.sound === undefined), {
    message: 'media cannot be combined with say or sound',
  });

/**
 * One thing to play. Short forms: a string is text to speak; a mapping of languages
 * (`{ en: Hello, zh: 您好 }`) is text to speak in the call's language.
 */
export const promptItem = z.preprocess((v) => {
  if (typeof v === 'string') return { say: v };
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject && !['say', 'sound', 'media', 'lang'].some((k) => k in v)) return { say: v };
  return v;
}, promptObject);
export type PromptItem = z.infer<typeof promptObject>;

/** One prompt item or a list played in order. */
export const prompt = z.preprocess(
  (v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]),
  z.array(promptItem).min(1),
);
export type Prompt = PromptItem[];

/** Fields every step may have. */
export const stepBase = {
  /** For people reading the flow (and the graph). */
  description: z.string().optional(),
  /** Where to go when the step fails unexpectedly (ARI error, bad data); else the flow's onError. */
  onError: stepName.optional(),
};

/** Picks the text for `language`: the language's own, else `fallback`'s, else the first. */
export function pickText(text: LocalizedText, language: string, fallback?: string): string {
  if (typeof text === 'string') return text;
  return text[language] ?? (fallback ? text[fallback] : undefined) ?? Object.values(text)[0] ?? '';
}

/** Spoken words for an option: the same in every language, or per language. */
export const localizedWords = z.union(
  [z.array(z.string().min(1)).min(1), z.record(z.string(), z.array(z.string().min(1)).min(1))],
  { error: 'words are a list, or a mapping of language → list such as { en: [billing], zh: [账单] }' },
);
export type LocalizedWords = z.infer<typeof localizedWords>;

export function pickWords(words: LocalizedWords | undefined, language: string): string[] {
  if (!words) return [];
  if (Array.isArray(words)) return words;
  return words[language] ?? [];
}

/** Variables to set: name (dotted) → value; strings may hold `{{...}}`. */
export const assignments = z.record(
  z.string().regex(/^[A-Za-z_][\w-]*(\.[\w-]+)*$/, 'a variable name such as issue or customer.tier'),
  z.unknown(),
);

/** Variable roots the IVR fills itself; flows read them but cannot set them. */
export const reservedRoots = ['caller', 'call', 'language', 'queue'] as const;
