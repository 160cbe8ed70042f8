// Whether and how a call is transcribed: the defaults, then its flow's settings, then its
// queue's (the queue is the later, more specific decision), then the language the call carries.
import type { HotlineConfig } from '../config.js';

type TranscriptionConfig = HotlineConfig['transcription'];

export interface CallPolicy {
  enabled: boolean;
  provider: TranscriptionConfig['provider'];
  /** BCP 47. */
  language: string;
}

/** A call's language as the IVR/routing name it ('zh', 'en', or already BCP 47) → BCP 47. */
export function bcp47(config: TranscriptionConfig, language: string | undefined): string {
  if (!language) return config.defaultLanguage;
  return config.languages[language] ?? config.languages[language.toLowerCase()] ?? language;
}

export function policyFor(
  config: TranscriptionConfig,
  call: { queue?: string | null; flow?: string | null; language?: string | null },
): CallPolicy {
  const flow = call.flow ? config.flows[call.flow] : undefined;
  const queue = call.queue ? config.queues[call.queue] : undefined;
  return {
    enabled: queue?.enabled ?? flow?.enabled ?? config.enabled,
    provider: queue?.provider ?? flow?.provider ?? config.provider,
    language: queue?.language ?? flow?.language ?? bcp47(config, call.language ?? undefined),
  };
}
