// The channel core's public face: Asterisk's resource model over the SIP layer and the media
// engine, with one function per ARI operation. The ARI server (src/media/ari) calls these and
// turns CoreError into HTTP answers.
export { MediaCore, type CoreCounts, type CoreSettings } from './core.js';
export { startCore, stopCore } from './lifecycle.js';
export { CoreError, type CoreErrorCode } from './errors.js';
export { Applications, type EventSink } from './applications.js';
export { Dialplan, dialplanSchema, type DialplanConfig, patternToRegExp } from './dialplan.js';
export { ChannelState } from './channel-state.js';
export { causeText, causeOfReason } from './causes.js';
export type { ChannelSnapshot } from './channel.js';
export type { BridgeSnapshot } from './bridge.js';
export type { PlaybackSnapshot } from './playback.js';
export type { LiveRecordingSnapshot, StoredRecordingSnapshot } from './recordings.js';
export type { SoundInfo } from './sounds.js';
export * as channels from './channel-ops.js';
export { originate, createChannel, dial, parseCallerId, type OriginateRequest } from './outbound.js';
export { externalMedia, type ExternalMediaRequest } from './external-media.js';
export { snoopChannel, type SnoopRequest } from './snoop.js';
export * as bridges from './bridges.js';
export * as playbacks from './playbacks.js';
export * as recordings from './recording-ops.js';
export * as endpoints from './endpoints.js';
export * as applications from './applications-ops.js';
