import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { freeTcpPort } from '../../test/helpers/ports.js';
import type { ApiServer } from './fastify.js';
import { inProcessFetch } from './in-process-fetch.js';

describe('the in-process fetch for Hotline’s own API', () => {
  // Never listening: a request that went over the network to its URL would be refused.
  const api: Pick<ApiServer, 'inject' | 'get' | 'post' | 'close'> = Fastify({ loggerInstance: silentLogger });
  const remote = Fastify();
  let apiUrl: string;
  let remoteUrl: string;
  beforeAll(async () => {
    api.get('/api/customers/:n', (req, reply) => {
      const { n } = req.params as { n: string };
      if (n === 'nobody')
        return reply.status(404).send({ code: 'HOTLINE_NOT_FOUND', message: 'customer nobody' });
      return reply.header('x-tier', 'vip').send({ number: n, accept: req.headers.accept });
    });
    api.post('/api/echo', (req, reply) => reply.send({ got: req.body }));
    api.get('/api/slow', () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 2000)));
    remote.get('/elsewhere', (_req, reply) => reply.send({ from: 'the network' }));
    remoteUrl = await remote.listen({ host: '127.0.0.1', port: 0 });
    apiUrl = `http://127.0.0.1:${await freeTcpPort()}`;
  });
  afterAll(async () => {
    await remote.close();
    await api.close();
  });

  it('answers a request to its own API in-process with the route’s status, headers and JSON', async () => {
    const fetch = inProcessFetch(api, apiUrl);
    const res = await fetch(`${apiUrl}/api/customers/%2B8613800138000?x=1`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-tier')).toBe('vip');
    expect(await res.json()).toEqual({ number: '+8613800138000', accept: 'application/json' });
  });

  it('passes the route’s errors through as HTTP statuses, and JSON bodies to POST routes', async () => {
    const fetch = inProcessFetch(api, apiUrl);
    const missing = await fetch(`${apiUrl}/api/customers/nobody`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'HOTLINE_NOT_FOUND' });
    const echoed = await fetch(`${apiUrl}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tier: 'vip' }),
    });
    expect(await echoed.json()).toEqual({ got: { tier: 'vip' } });
  });

  it('sends requests for any other origin over the network', async () => {
    const fetch = inProcessFetch(api, apiUrl);
    const res = await fetch(`${remoteUrl}/elsewhere`);
    expect(await res.json()).toEqual({ from: 'the network' });
  });

  it('gives up with an abort error when the caller’s signal fires before the answer', async () => {
    const fetch = inProcessFetch(api, apiUrl);
    const controller = new AbortController();
    const pending = fetch(`${apiUrl}/api/slow`, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
