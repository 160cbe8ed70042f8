// Typed failures of core operations. Each carries a stable code, the HTTP status ARI answers
// with, and the message Asterisk 22 gives for the same mistake (so a controller written against
// Asterisk reads the same words), or a clearer one where Asterisk answers 500 for a bad request.

export type CoreErrorCode =
  | 'CHANNEL_NOT_FOUND'
  | 'CHANNEL_NOT_IN_STASIS'
  | 'CHANNEL_INVALID_STATE'
  | 'CHANNEL_EXISTS'
  | 'BRIDGE_NOT_FOUND'
  | 'BRIDGE_EXISTS'
  | 'PLAYBACK_NOT_FOUND'
  | 'PLAYBACK_NOT_PLAYING'
  | 'PLAYBACK_NOT_CONTROLLABLE'
  | 'RECORDING_NOT_FOUND'
  | 'RECORDING_EXISTS'
  | 'RECORDING_NOT_RECORDING'
  | 'ENDPOINT_NOT_FOUND'
  | 'APPLICATION_NOT_FOUND'
  | 'SOUND_NOT_FOUND'
  | 'VARIABLE_NOT_FOUND'
  | 'BAD_REQUEST'
  | 'UNPROCESSABLE'
  | 'CONFLICT'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL';

const STATUS: Record<CoreErrorCode, number> = {
  CHANNEL_NOT_FOUND: 404,
  CHANNEL_NOT_IN_STASIS: 409,
  CHANNEL_INVALID_STATE: 412,
  CHANNEL_EXISTS: 409,
  BRIDGE_NOT_FOUND: 404,
  BRIDGE_EXISTS: 409,
  PLAYBACK_NOT_FOUND: 404,
  PLAYBACK_NOT_PLAYING: 409,
  PLAYBACK_NOT_CONTROLLABLE: 409,
  RECORDING_NOT_FOUND: 404,
  RECORDING_EXISTS: 409,
  RECORDING_NOT_RECORDING: 409,
  ENDPOINT_NOT_FOUND: 404,
  APPLICATION_NOT_FOUND: 404,
  SOUND_NOT_FOUND: 404,
  VARIABLE_NOT_FOUND: 404,
  BAD_REQUEST: 400,
  UNPROCESSABLE: 422,
  CONFLICT: 409,
  NOT_IMPLEMENTED: 501,
  INTERNAL: 500,
};

export class CoreError extends Error {
  readonly status: number;
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'CoreError';
    this.status = status ?? STATUS[code];
  }
}

export const badRequest = (message: string) => new CoreError('BAD_REQUEST', message);
export const unprocessable = (message: string) => new CoreError('UNPROCESSABLE', message);
export const conflict = (message: string) => new CoreError('CONFLICT', message);
export const channelNotFound = (message = 'Channel not found') => new CoreError('CHANNEL_NOT_FOUND', message);
export const bridgeNotFound = () => new CoreError('BRIDGE_NOT_FOUND', 'Bridge not found');
