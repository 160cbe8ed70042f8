// The composition root: connects the shared services, starts each module in order and stops
// them in reverse on SIGTERM/SIGINT. Modules plug in here, nowhere else.
import { buildApi, inProcessFetch } from './api/index.js';
import { connectAri } from './ari/index.js';
import type { HotlineConfig } from './config.js';
import type { AppContext, Service } from './context.js';
import { HotlineEvents } from './events.js';
import { ivrRoutes, startIvr, type IvrService } from './ivr/index.js';
import { createLogger, type Logger } from './logger.js';
import { startMediaServer, startMediaServerThread, type MediaServer } from './media/index.js';
import { startQa } from './qa/index.js';
import { startRouting, type RoutingService } from './routing/index.js';
import { RedisKeys, createDb, createRedis, migrate } from './store/index.js';
import { startTranscription } from './transcription/index.js';

export interface RunningHotline {
  ctx: AppContext;
  apiUrl: string;
  /** The embedded media server (ari.mode = embedded). */
  media: MediaServer | null;
  /** The IVR answering inbound calls. */
  ivr: IvrService;
  /** The ACD (routing.enabled). */
  routing: RoutingService | null;
  stop(): Promise<void>;
}

export async function startHotline(
  config: HotlineConfig,
  log: Logger = createLogger(config),
): Promise<RunningHotline> {
  const db = createDb(config);
  const redis = createRedis(config, { name: 'main' });
  const ctx: AppContext = {
    config,
    log,
    db,
    redis,
    keys: new RedisKeys(config.redis.keyPrefix),
    events: new HotlineEvents(),
  };
  const services: Service[] = [];
  const stop = async () => {
    for (const service of services.reverse()) {
      await service
        .stop()
        .catch((err: unknown) => log.error({ err, service: service.name }, 'stopping a service failed'));
    }
    redis.disconnect();
    await db.end();
  };
  try {
    const migrations = await migrate(db);
    if (migrations.applied.length) log.info({ applied: migrations.applied }, 'database migrated');
    // The media server comes first so it answers ARI before any module connects, and is
    // stopped last (services stop in reverse).
    let media: MediaServer | null = null;
    if (config.ari.mode === 'embedded') {
      const server = config.media.thread
        ? await startMediaServerThread(config, log.child({ module: 'media' }))
        : await startMediaServer(config, log.child({ module: 'media' }));
      media = server;
      services.push({ name: 'media', stop: () => server.stop() });
    }
    if (config.qa.enabled) services.push(startQa(ctx));
    const api = await buildApi(ctx, ivrRoutes);
    // Inbound calls: the controller's ARI connection hands every channel from outside to the IVR,
    // whose `enqueue` steps hand callers to routing (which dials agents on the same connection).
    const ari = await connectAri(
      {
        url: media?.ariUrl ?? config.ari.url,
        username: config.ari.username,
        password: config.ari.password,
        app: config.ari.app,
      },
      log.child({ module: 'ari' }),
    );
    services.push({ name: 'ari', stop: () => Promise.resolve(ari.close()) });
    // Transcription forks answered calls' audio over the same ARI connection, and serves the
    // IVR's speech menus.
    const transcription = startTranscription(ctx, ari);
    services.push(transcription);
    const routing = config.routing.enabled ? await startRouting(ctx, { ari }) : null;
    if (routing) services.push(routing);
    const ivr = await startIvr(ctx, {
      ari,
      router: routing?.router ?? null,
      speech: transcription.speechMenu,
    });
    services.push(ivr);
    // The API listens last: "Hotline API listening" means everything is up.
    const apiUrl = await api.listen({ host: config.api.host, port: config.api.port });
    services.push({ name: 'api', stop: () => api.close() });
    // The flows' requests to Hotline's own API (the demo CRM) are answered in-process.
    ivr.useApi(apiUrl, inProcessFetch(api, apiUrl));
    log.info({ url: apiUrl }, 'Hotline API listening');
    return { ctx, apiUrl, media, ivr, routing, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Stops the hotline cleanly on the first SIGTERM/SIGINT; a second one exits at once. */
export function stopOnSignals(hotline: RunningHotline, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping');
    hotline.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
