// The SIP layer's public face: createSipServer and the contract the channel core consumes, plus
// the SIP configuration schemas (endpoints, trunks) for composing config/sip.yaml. Nothing here
// knows about RTP sockets, ARI, channels or bridges.
export * from './contract.js';
export { createSipServer } from './server.js';
export { parseSipConfig, SipConfigError, DEFAULT_CODECS, type SipServerOptions } from './options.js';
export {
  codecSchema,
  sipConfigSchema,
  sipEndpointSchema,
  sipTrunkSchema,
  type SipConfig,
  type SipEndpointConfig,
  type SipTrunkConfig,
} from './config.js';
export { causeOfStatus, statusOfCause, Q850 } from './causes.js';
export { isHold } from './sdp.js';
export type { SipTimers } from './transport/retransmit.js';
export { SipCallStateError } from './calls/inbound-call.js';
