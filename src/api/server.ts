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
    if (err instanceof ApiError)
      return reply.status(err.status).send({ code: err.code, message: err.message });
    if (err instanceof ZodError) {
      const detail = err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      return reply.status(400).send({ code: 'HOTLINE_BAD_REQUEST', message: `Bad request: ${detail}` });
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) ctx.log.error({ err }, 'API request failed');
    return reply.status(status).send({
      code: status >= 500 ? 'HOTLINE_INTERNAL' : 'HOTLINE_BAD_REQUEST',
      message: (err as Error).message,
    });
  });
  for (const routes of [healthRoutes, callRoutes, qaRoutes, transcriptRoutes, routingRoutes, ...extraRoutes])
    await routes(app, ctx);
  return app;
}
