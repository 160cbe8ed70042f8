// The embedded media server: SIP (src/media/sip) + media engine (src/media/engine) + channel
// core (src/media/core) + ARI server (src/media/ari), started together and stopped in reverse.
// Other modules import the media server only from here (and the codec/RTP helpers below).
import type { Logger } from 'pino';
import { resolvePath, type HotlineConfig } from '../config.js';
import { startAriServer } from './ari/index.js';
import { loadMediaFileConfig, type MediaFileConfig } from './config-file.js';
import { Dialplan, MediaCore, startCore, stopCore } from './core/index.js';
import { createMediaEngine, type MediaEngineCounts } from './engine/index.js';
import { createSipServer } from './sip/index.js';
import type { MediaServer } from './contract.js';

export * from './codecs/index.js';
export * from './rtp/index.js';
export {
  loadMediaFileConfig,
  parseMediaFileConfig,
  MediaConfigError,
  type MediaFileConfig,
} from './config-file.js';

export type { MediaCounts, MediaServer } from './contract.js';
export { startMediaServerThread } from './thread.js';

export interface MediaServerOverrides {
  /** The SIP configuration file's content, instead of reading media.sipConfigFile. */
  file?: MediaFileConfig;
  /** SIP timers (tests shorten them). */
  sipTimers?: { t1?: number; t2?: number; t4?: number };
}

/** A MAC-like entity id, as Asterisk's asterisk_id. */
function entityId(): string {
  const bytes = Array.from({ length: 6 }, () => Math.floor(Math.random() * 256));
  bytes[0] = (bytes[0]! & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export async function startMediaServer(
  config: HotlineConfig,
  log: Logger,
  overrides: MediaServerOverrides = {},
): Promise<MediaServer> {
  const media = config.media;
  const file = overrides.file ?? loadMediaFileConfig(resolvePath(config, media.sipConfigFile));
  const ariUrl = new URL(config.ari.url);
  const engine = createMediaEngine({
    rtpPortMin: media.rtpPortMin,
    rtpPortMax: media.rtpPortMax,
    rtpTimeoutMs: media.rtpTimeoutSeconds * 1000,
    log: (message) => log.warn({ module: 'media-engine' }, message),
  });
  const sip = createSipServer({
    bindAddress: media.bindAddress,
    ...(media.publicAddress ? { publicAddress: media.publicAddress } : {}),
    udpPort: media.sipUdpPort,
    tcpPort: media.sipTcpPort,
    sip: file.sip,
    ...(overrides.sipTimers ? { timers: overrides.sipTimers } : {}),
    log: log.child({ module: 'sip' }),
  });
  const core = new MediaCore(
    sip,
    engine,
    new Dialplan(file.dialplan),
    {
      bindAddress: media.bindAddress,
      maxCalls: media.maxCalls,
      soundsDirs: media.soundsDirs.map((d) => resolvePath(config, d)),
      mohClasses: Object.fromEntries(
        Object.entries(media.mohClasses).map(([k, d]) => [k, resolvePath(config, d)]),
      ),
      recordingsDir: resolvePath(config, media.recordingsDir),
      defaultLanguage: media.language,
      asteriskId: entityId(),
      defaultDialTimeoutS: 30,
    },
    log.child({ module: 'media-core' }),
  );
  startCore(core);
  let server: Awaited<ReturnType<typeof startAriServer>>;
  try {
    await sip.start();
    server = await startAriServer(core, {
      host: ariUrl.hostname.replace(/^\[|\]$/g, ''),
      port: Number(ariUrl.port || 80),
      users: [{ username: config.ari.username, password: config.ari.password }],
      log: log.child({ module: 'ari' }),
    });
  } catch (err) {
    await sip.stop().catch(() => undefined);
    await engine.close().catch(() => undefined);
    throw err;
  }
  log.info(
    { ari: server.url, sipUdpPort: sip.udpPort, sipTcpPort: sip.tcpPort },
    'embedded media server listening',
  );
  let stopped: Promise<void> | null = null;
  return {
    ariUrl: server.url,
    sipUdpPort: sip.udpPort,
    sipTcpPort: sip.tcpPort,
    async counts() {
      const e: MediaEngineCounts = await engine.counts();
      return {
        ...core.counts(),
        ...sip.counts(),
        endpoints: e.endpoints,
        mixers: e.mixers,
        ports: e.ports,
        enginePlaybacks: e.playbacks,
        engineRecordings: e.recordings,
      };
    },
    stop() {
      stopped ??= (async () => {
        await stopCore(core);
        await sip.stop();
        await server.close();
        await engine.close();
      })();
      return stopped;
    },
  };
}
