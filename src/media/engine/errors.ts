/** A media engine request that cannot be carried out; `code` is stable, the message says why. */
export class MediaEngineError extends Error {
  constructor(
    readonly code:
      | 'ENDPOINT_NOT_FOUND'
      | 'ENDPOINT_EXISTS'
      | 'MIXER_NOT_FOUND'
      | 'MIXER_EXISTS'
      | 'PLAYBACK_NOT_FOUND'
      | 'PLAYBACK_EXISTS'
      | 'RECORDING_NOT_FOUND'
      | 'RECORDING_EXISTS'
      | 'NO_PORTS'
      | 'NOT_RTP'
      | 'BAD_DTMF'
      | 'BAD_TONE'
      | 'ENGINE_CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'MediaEngineError';
  }
}
