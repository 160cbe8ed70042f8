// Routing's API for consoles and integrations: live queues and agents, agent log in / out / aux /
// available, agent profiles, and KPIs from the queue log. Bodies and queries are validated with
// zod; routing's typed errors map to the API's codes (errors.ts).
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { agentProfileSchema, consoleOf, RoutingError, type RoutingErrorCode } from '../../routing/index.js';
import { ApiError, type ApiErrorCode } from '../errors.js';
import type { ApiServer } from '../fastify.js';

const codes: Record<RoutingErrorCode, ApiErrorCode> = {
  ROUTING_UNKNOWN_AGENT: 'HOTLINE_ROUTING_UNKNOWN_AGENT',
  ROUTING_UNKNOWN_QUEUE: 'HOTLINE_ROUTING_UNKNOWN_QUEUE',
  ROUTING_ILLEGAL_TRANSITION: 'HOTLINE_ROUTING_ILLEGAL_TRANSITION',
  ROUTING_CONFIG_INVALID: 'HOTLINE_BAD_REQUEST',
  ROUTING_UNKNOWN_CALL: 'HOTLINE_NOT_FOUND',
};

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RoutingError) throw new ApiError(codes[err.code], err.message);
    throw err;
  }
}

const name = z.string().min(1).max(64);
const idParams = z.object({ id: name });
const queueParams = z.object({ name });
const stateBody = z
  .object({
    state: z.enum(['available', 'aux', 'logged-out']),
    /** The aux reason code (break, lunch, meeting, training, ...). */
    reason: z.string().max(40).default(''),
  })
  .strict();
const loginBody = z
  .object({
    state: z.enum(['available', 'aux']).default('available'),
    reason: z.string().max(40).default(''),
  })
  .strict()
  .prefault({});
const profileBody = agentProfileSchema.omit({ id: true }).strict();
const kpiQuery = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  queue: name.optional(),
  interval: z.enum(['hour', 'day', 'total']).default('total'),
});

export function routingRoutes(app: ApiServer, ctx: AppContext): void {
  const routing = consoleOf(ctx);

  app.get('/api/routing/queues', () => mapped(() => routing.queues()));
  app.get('/api/routing/queues/:name', async (req) => {
    const { name: queue } = queueParams.parse(req.params);
    return mapped(async () => ({ ...(await routing.queue(queue)), callers: await routing.callers(queue) }));
  });

  app.get('/api/routing/agents', () => mapped(() => routing.agents()));
  app.get('/api/routing/agents/:id', (req) => {
    const { id } = idParams.parse(req.params);
    return mapped(() => routing.agent(id));
  });
  app.put('/api/routing/agents/:id', async (req, reply) => {
    const { id } = idParams.parse(req.params);
    const profile = agentProfileSchema.parse({ ...profileBody.parse(req.body), id });
    const saved = await mapped(() => routing.saveProfile(profile));
    return reply.status(saved.created ? 201 : 200).send(saved.agent);
  });
  app.delete('/api/routing/agents/:id', async (req, reply) => {
    const { id } = idParams.parse(req.params);
    await mapped(() => routing.removeAgent(id));
    return reply.status(204).send();
  });
  app.post('/api/routing/agents/:id/state', (req) => {
    const { id } = idParams.parse(req.params);
    const { state, reason } = stateBody.parse(req.body ?? {});
    if (state === 'aux' && !reason)
      throw new ApiError('HOTLINE_BAD_REQUEST', 'reason: an aux state needs a reason code');
    return mapped(() => routing.setState(id, state, reason));
  });
  app.post('/api/routing/agents/:id/login', (req) => {
    const { id } = idParams.parse(req.params);
    const { state, reason } = loginBody.parse(req.body ?? {});
    return mapped(() => routing.setState(id, state, state === 'aux' ? reason || 'login' : ''));
  });
  app.post('/api/routing/agents/:id/logout', (req) => {
    const { id } = idParams.parse(req.params);
    return mapped(() => routing.setState(id, 'logged-out'));
  });

  app.get('/api/routing/kpis', (req) => {
    const q = kpiQuery.parse(req.query);
    if (!(q.from < q.to)) throw new ApiError('HOTLINE_BAD_REQUEST', 'from must be before to');
    return mapped(() => routing.kpis(q));
  });
}
