// The transcription module's public face.
export type { Party, TranscriptSegment } from './segment.js';
