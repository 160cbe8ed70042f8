// A call's transcript, both parties in spoken order: JSON (default), plain text or WebVTT, by
// `?format=json|text|vtt` or the Accept header (text/plain, text/vtt).
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { transcriptOf, transcriptText, transcriptWebVtt } from '../../transcription/index.js';
import { ApiError } from '../errors.js';
import type { ApiServer } from '../fastify.js';

const params = z.object({ id: z.string().min(1).max(200) });
const query = z.object({ format: z.enum(['json', 'text', 'vtt']).optional() });

type Format = 'json' | 'text' | 'vtt';

function formatOf(asked: Format | undefined, accept: string | undefined): Format {
  if (asked) return asked;
  if (accept?.includes('text/vtt')) return 'vtt';
  if (accept?.includes('text/plain')) return 'text';
  return 'json';
}

export function transcriptRoutes(app: ApiServer, ctx: AppContext): void {
  app.get('/api/calls/:id/transcript', async (req, reply) => {
    const { id } = params.parse(req.params);
    const format = formatOf(query.parse(req.query).format, req.headers.accept);
    const [segments, call] = await Promise.all([
      transcriptOf(ctx.db, id),
      ctx.db.query<{ ended_at: Date | null }>('SELECT ended_at FROM calls WHERE id = $1', [id]),
    ]);
    const row = call.rows[0];
    if (!row && !segments.length) throw new ApiError('HOTLINE_NOT_FOUND', `call ${id}`);
    // A call still in progress answers with what is stored so far.
    const complete = row ? row.ended_at !== null : true;
    if (format === 'text')
      return reply
        .type('text/plain; charset=utf-8')
        .header('x-transcript-complete', String(complete))
        .send(transcriptText(segments));
    if (format === 'vtt')
      return reply
        .type('text/vtt; charset=utf-8')
        .header('x-transcript-complete', String(complete))
        .send(transcriptWebVtt(segments));
    return { callId: id, complete, segments };
  });
}
