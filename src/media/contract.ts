// What a running media server offers whoever started it, in-process or in its own thread.
import type { CoreCounts } from './core/index.js';
import type { SipServerCounts } from './sip/index.js';

/** What the media server holds: the core's registries, the SIP layer's and the engine's. */
export type MediaCounts = CoreCounts &
  SipServerCounts & {
    /** Engine endpoints (one per channel), mixers (one per bridge), sockets, and its own playbacks/recordings. */
    endpoints: number;
    mixers: number;
    ports: number;
    enginePlaybacks: number;
    engineRecordings: number;
  };

export interface MediaServer {
  /** Where the ARI server listens (http://host:port). */
  readonly ariUrl: string;
  readonly sipUdpPort: number;
  readonly sipTcpPort: number;
  /** Everything the server holds right now (tests assert these are zero after each call). */
  counts(): Promise<MediaCounts>;
  stop(): Promise<void>;
}
