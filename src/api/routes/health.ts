import type { AppContext } from '../../context.js';
import type { ApiServer } from '../fastify.js';

export function healthRoutes(app: ApiServer, ctx: AppContext): void {
  app.get('/health', async (_req, reply) => {
    const [postgres, redis] = await Promise.all([
      ctx.db.query('SELECT 1').then(
        () => 'ok',
        (err: Error) => err.message,
      ),
      ctx.redis.ping().then(
        () => 'ok',
        (err: Error) => err.message,
      ),
    ]);
    const ok = postgres === 'ok' && redis === 'ok';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', postgres, redis });
  });
}
