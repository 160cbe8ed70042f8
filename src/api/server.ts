// The REST + WebSocket API for consoles and integrations. Modules add their routes through
// `ApiRoutes` plugins so this file stays the composition, not the logic.
import { ZodError } from 'zod';
import type { AppContext } from '../context.js';
import { ApiError } from './errors.js';
import { createServer, type ApiRoutes, type ApiServer } from './fastify.js';
import { healthRoutes } from './routes/health.js';
import { callRoutes } from './routes/calls.js';
import { transcriptRoutes } from './routes/transcripts.js';
import { qaRoutes } from './routes/qa.js';
import { routingRoutes } from './routes/routing.js';

export async function buildApi(ctx: AppContext, extraRoutes: ApiRoutes[] = []): Promise<ApiServer> {
  const app = createServer(ctx);
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ApiError) return reply.status(err.status).send(err.body);
    if (err instanceof ZodError) {
      const detail = err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      return reply.status(400).send(new ApiError('HOTLINE_BAD_REQUEST', detail).body);
    }
    // Fastify's own 4xx (a body that is not JSON, an unsupported media type, a body too large).
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status < 500)
      return reply.status(status).send(new ApiError('HOTLINE_BAD_REQUEST', (err as Error).message).body);
    ctx.log.error({ err }, 'API request failed');
    return reply.status(500).send(new ApiError('HOTLINE_INTERNAL', (err as Error).message).body);
  });
  app.setNotFoundHandler((req, reply) => {
    const missing = new ApiError(
      'HOTLINE_NOT_FOUND',
      `${req.method} ${req.url.split('?')[0]} (docs/api.md lists the routes)`,
    );
    return reply.status(404).send(missing.body);
  });
  for (const routes of [healthRoutes, callRoutes, qaRoutes, transcriptRoutes, routingRoutes, ...extraRoutes])
    await routes(app, ctx);
  return app;
}
