// A `fetch` for the controller's own modules that serves requests to Hotline's own API in-process
// (fastify's inject: the same routes, validation, errors and answers, without a socket), and
// sends anything else over the network. The IVR's `http` steps with a relative URL (the bundled
// demo CRM, callbacks) use it: over loopback HTTP the request and its answer would both wait
// for turns of this same busy event loop, several times, on the caller's way to the next prompt.
import type { ApiServer } from './fastify.js';

type Fetch = typeof fetch;

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('This operation was aborted', 'AbortError');
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(init?.headers).entries());
}

/** `fetch` that answers URLs under `apiUrl` from `api` directly and passes others to `network`. */
export function inProcessFetch(
  api: Pick<ApiServer, 'inject'>,
  apiUrl: string,
  network: Fetch = globalThis.fetch,
): Fetch {
  const base = new URL(apiUrl);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (input instanceof Request || url.origin !== base.origin) return network(input, init);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw abortError(signal);
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') return network(input, init); // streams and forms: the network path handles every body kind
    const injected = api.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: headersOf(init),
      ...(typeof body === 'string' ? { payload: body } : {}),
    });
    const answer = await (signal
      ? Promise.race([
          injected,
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(abortError(signal)), { once: true }),
          ),
        ])
      : injected);
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
    }
    const empty = answer.statusCode === 204 || answer.statusCode === 304 || init?.method === 'HEAD';
    return new Response(empty ? null : answer.rawPayload, { status: answer.statusCode, headers });
  };
}
