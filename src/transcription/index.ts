// The transcription module's public face.
export type { Party, TranscriptSegment } from './segment.js';
export type { SpeechMenuRecognizer, SpeechMenuRequest, SpeechMenuResult } from './contract.js';
export { transcriptOf } from './store.js';
export { transcriptText, transcriptWebVtt } from './formats.js';
export { startTranscription, type TranscriptionService, type TranscriptionOptions } from './service.js';
export { TranscriptionError, type TranscriptionErrorCode } from './errors.js';
