import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ApiServer } from '../fastify.js';
import { callEvents } from '../../store/index.js';
import { ApiError } from '../errors.js';

const callParams = z.object({ id: z.string().min(1).max(200) });

export function callRoutes(app: ApiServer, ctx: AppContext): void {
  app.get('/api/calls/:id', async (req) => {
    const { id } = callParams.parse(req.params);
    const { rows } = await ctx.db.query('SELECT * FROM calls WHERE id = $1', [id]);
    if (!rows[0]) throw new ApiError('HOTLINE_NOT_FOUND', `call ${id}`);
    return rows[0] as unknown;
  });
  app.get('/api/calls/:id/events', async (req) => {
    const { id } = callParams.parse(req.params);
    return callEvents(ctx.db, id);
  });
}
