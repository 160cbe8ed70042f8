// Starting and stopping routing on one controller node: read and load the contact center, write
// the queue log to Postgres, and run the router on the node's ARI connection.
import type { AriConnection } from '../ari/index.js';
import { resolvePath } from '../config.js';
import type { AppContext, Service } from '../context.js';
import { AriTelephony } from './ari-telephony.js';
import { RoutingConsole } from './console.js';
import { readContactCenter } from './contact-center.js';
import type { CallRouter } from './contract.js';
import { QueueLogWriter } from './queue-log.js';
import { Router } from './router.js';
import { RoutingStore } from './store.js';

export interface RoutingService extends Service {
  /** What the IVR's `enqueue` verb uses. */
  router: CallRouter;
  store: RoutingStore;
}

/** The store the API and consoles use on a node: offers it makes always go to the call's owner. */
export function consoleOf(ctx: AppContext): RoutingConsole {
  return new RoutingConsole(
    new RoutingStore(ctx.redis, ctx.keys, `${ctx.config.routing.nodeId}-console`),
    ctx.db,
  );
}

export async function startRouting(
  ctx: AppContext,
  options: { ari: AriConnection },
): Promise<RoutingService> {
  const { config } = ctx;
  const log = ctx.log.child({ module: 'routing' });
  const contactCenter = readContactCenter(resolvePath(config, config.routing.configFile));
  const nodeId = config.routing.nodeId;
  const store = new RoutingStore(ctx.redis, ctx.keys, nodeId);
  const writer = new QueueLogWriter(ctx.redis.duplicate(), ctx.db, ctx.keys, nodeId, log);
  await writer.start();
  const telephony = new AriTelephony(options.ari, log);
  const router = new Router({
    store,
    telephony,
    contactCenter,
    events: ctx.events,
    db: ctx.db,
    log,
    keys: ctx.keys,
    offersRedis: ctx.redis.duplicate(),
    sweepIntervalMs: config.routing.sweepIntervalMs,
    nodeTimeoutMs: config.routing.nodeTimeoutMs,
  });
  await router.load();
  router.start();
  log.info(
    {
      node: nodeId,
      queues: contactCenter.queues.map((q) => q.name),
      agents: contactCenter.agents.length,
    },
    'routing ready',
  );
  return {
    name: 'routing',
    router,
    store,
    async stop() {
      await router.stop();
      telephony.close();
      await writer.flush().catch((err: unknown) => log.warn({ err }, 'queue log: last flush failed'));
      await writer.stop();
    },
  };
}
