// The controller side of ARI: one ari-client connection and the routing of channels entering
// the application to the module that made them.
export {
  AriConnection,
  appArgs,
  connectAri,
  type AriSettings,
  type StasisStartHandler,
} from './connection.js';
export type { Bridge, Channel, Client as AriClient, LiveRecording, Playback, StasisStart } from 'ari-client';
