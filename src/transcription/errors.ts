// Every way transcription can fail, once, with a stable code and a message an operator can act
// on. Errors reach the call's trail (`call_events`, source `transcription`) and the log.

export const transcriptionErrors = {
  /** The recogniser could not be started (missing binary, model, credentials, unreachable server). */
  TRANSCRIPTION_PROVIDER_UNAVAILABLE: 'ASR provider %s is unavailable: %s',
  /** The recogniser failed during a stream (server error, connection lost, process crashed). */
  TRANSCRIPTION_PROVIDER_FAILED: 'ASR provider %s failed during a stream: %s',
  /** No configured provider can recognise the call's language. */
  TRANSCRIPTION_LANGUAGE_UNSUPPORTED: 'No ASR provider configured for language %s (%s)',
  /** A phrase of a speech menu uses a word the recogniser's dictionary does not have. */
  TRANSCRIPTION_PHRASE_UNKNOWN: 'Speech menu phrase %s: %s',
  /** The ARI server refused a snoop, externalMedia channel or bridge needed for the audio fork. */
  TRANSCRIPTION_FORK_FAILED: 'Could not fork the audio of %s: %s',
  /** No UDP port was free in the configured range for the forked audio. */
  TRANSCRIPTION_NO_PORT: 'No free UDP port for forked audio: %s',
} as const;

export type TranscriptionErrorCode = keyof typeof transcriptionErrors;

export class TranscriptionError extends Error {
  constructor(
    readonly code: TranscriptionErrorCode,
    ...details: string[]
  ) {
    let i = 0;
    super(transcriptionErrors[code].replace(/%s/g, () => details[i++] ?? ''));
    this.name = 'TranscriptionError';
  }
}

/** The message of anything thrown, for logs and events. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
