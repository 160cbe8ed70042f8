// The fastify instance type every route plugin receives (pino logger, default server).
import Fastify, { LogController } from 'fastify';
import type { AppContext } from '../context.js';

export function createServer(ctx: AppContext) {
  return Fastify({
    loggerInstance: ctx.log.child({ module: 'api' }),
    logController: new LogController({ disableRequestLogging: true }),
  });
}

export type ApiServer = ReturnType<typeof createServer>;
export type ApiRoutes = (app: ApiServer, ctx: AppContext) => Promise<void> | void;
