// The IVR's API routes: voicemail messages (list, one, its audio fetched from the media server's
// stored recordings over ARI), callback requests (the list to call back, and their status) and
// the demo CRM.
import { z } from 'zod';
import { ApiError, type ApiRoutes } from '../api/index.js';
import { demoCrmRoutes } from './demo-crm.js';
import { callbackStatuses, PgIvrStore } from './store/store.js';

const list = z.object({
  mailbox: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const byId = z.object({ id: z.string().regex(/^\d+$/, 'a number') });

export const voicemailRoutes: ApiRoutes = (app, ctx) => {
  const store = new PgIvrStore(ctx.db);

  app.get('/api/voicemails', async (req) => {
    const query = list.parse(req.query);
    return store.listVoicemails(query);
  });

  app.get('/api/voicemails/:id', async (req) => {
    const { id } = byId.parse(req.params);
    const voicemail = await store.voicemail(id);
    if (!voicemail) throw new ApiError('HOTLINE_NOT_FOUND', `voicemail ${id}`);
    return voicemail;
  });

  // The audio lives on the media server (embedded or Asterisk) as a stored recording; ARI's
  // GET /recordings/stored/{name}/file serves it.
  app.get('/api/voicemails/:id/audio', async (req, reply) => {
    const { id } = byId.parse(req.params);
    const voicemail = await store.voicemail(id);
    if (!voicemail) throw new ApiError('HOTLINE_NOT_FOUND', `voicemail ${id}`);
    const { url, username, password } = ctx.config.ari;
    let response: Response;
    try {
      response = await fetch(
        `${url.replace(/\/$/, '')}/ari/recordings/stored/${encodeURIComponent(voicemail.recording)}/file`,
        {
          headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
          signal: AbortSignal.timeout(10_000),
        },
      );
    } catch (err) {
      throw new ApiError('HOTLINE_UNAVAILABLE', `the media server did not answer: ${(err as Error).message}`);
    }
    if (response.status === 404) throw new ApiError('HOTLINE_NOT_FOUND', `recording ${voicemail.recording}`);
    if (!response.ok)
      throw new ApiError('HOTLINE_UNAVAILABLE', `the media server answered ${response.status}`);
    await store.markHeard(id);
    const audio = Buffer.from(await response.arrayBuffer());
    return reply.type(response.headers.get('content-type') ?? 'audio/wav').send(audio);
  });
};

const callbackList = z.object({
  status: z.enum(callbackStatuses).optional(),
  queue: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const callbackStatusBody = z.object({ status: z.enum(callbackStatuses) }).strict();

/**
 * Callback requests the `callback` step took: the list a supervisor, an outbound dialer or a CRM
 * works through (highest priority, then oldest, first), and their status as they go.
 */
export const callbackRoutes: ApiRoutes = (app, ctx) => {
  const store = new PgIvrStore(ctx.db);

  app.get('/api/callbacks', async (req) => store.listCallbackRequests(callbackList.parse(req.query)));

  app.post('/api/callbacks/:id/status', async (req) => {
    const { id } = byId.parse(req.params);
    const { status } = callbackStatusBody.parse(req.body ?? {});
    const request = await store.setCallbackStatus(id, status);
    if (!request) throw new ApiError('HOTLINE_NOT_FOUND', `callback request ${id}`);
    return request;
  });
};

/** Every route the IVR adds to the API. */
export const ivrRoutes: ApiRoutes[] = [voicemailRoutes, callbackRoutes, demoCrmRoutes];
