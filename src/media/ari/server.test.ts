// The ARI server's HTTP behaviour: authentication, Asterisk's answers for unknown resources and
// methods, parameters from the query string and JSON body, the swagger documents, the events
// WebSocket's refusals, and the bad requests of the ari-lab with Asterisk's statuses and words.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OPERATIONS } from './declarations.js';
import { HANDLERS } from './handlers.js';
import { ari, ariFixture, type AriFixture } from './testing.js';

function wsStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

describe('the ARI HTTP server', () => {
  let fx: AriFixture;
  let events: { type: string }[] = [];
  let socket: WebSocket;

  beforeAll(async () => {
    fx = await ariFixture();
    socket = new WebSocket(`${fx.url.replace('http', 'ws')}/ari/events?app=hotline&api_key=hotline:hotline`);
    socket.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as { type: string }));
    await new Promise((r) => socket.once('open', r));
  });
  afterAll(async () => {
    socket.close();
    await fx.close();
  });

  it('has a handler for every declared operation and a declaration for every handler', () => {
    const declared = OPERATIONS.filter((o) => o.resource !== 'events').map(
      (o) => `${o.resource}.${o.nickname}`,
    );
    expect(Object.keys(HANDLERS).sort()).toEqual(declared.sort());
  });

  it("refuses wrong credentials with 401 and Asterisk's message, on REST and on the events socket", async () => {
    expect(await ari(fx.url, 'GET', '/asterisk/info', {}, 'hotline:wrong')).toEqual({
      status: 401,
      body: { message: 'Authentication required' },
    });
    expect(await ari(fx.url, 'GET', '/asterisk/info', {}, 'nobody:x')).toMatchObject({ status: 401 });
    const ws = fx.url.replace('http', 'ws');
    expect(await wsStatus(`${ws}/ari/events?app=hotline&api_key=hotline:wrong`)).toBe(401);
    expect(await wsStatus(`${ws}/ari/events?api_key=hotline:hotline`)).toBe(400);
  });

  it('accepts api_key in the query string', async () => {
    const res = await fetch(`${fx.url}/ari/asterisk/ping?api_key=hotline:hotline`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ping: 'pong', asterisk_id: '02:42:ac:11:00:02' });
  });

  it('answers an unknown resource with 404 and a wrong method with 405, as Asterisk', async () => {
    expect(await ari(fx.url, 'GET', '/no-such-resource')).toEqual({
      status: 404,
      body: { message: 'Resource not found' },
    });
    expect(await ari(fx.url, 'PUT', '/channels')).toEqual({
      status: 405,
      body: { message: 'Invalid method' },
    });
  });

  it('serves the swagger listing and declarations with the base path the client used', async () => {
    const listing = await ari(fx.url, 'GET', '/api-docs/resources.json');
    expect(listing.body).toMatchObject({ basePath: `${fx.url}/ari`, swaggerVersion: '1.2' });
    const channels = (await ari(fx.url, 'GET', '/api-docs/channels.json')).body as {
      resourcePath: string;
      apis: { path: string }[];
      models: Record<string, unknown>;
    };
    expect(channels.resourcePath).toBe('/api-docs/channels.{format}');
    expect(channels.apis.map((a) => a.path)).toContain('/channels/{channelId}/snoop');
    expect(Object.keys(channels.models)).toContain('Channel');
    const eventsDoc = (await ari(fx.url, 'GET', '/api-docs/events.json')).body as {
      models: Record<string, { properties: Record<string, { type: string }> }>;
    };
    expect(eventsDoc.models.StasisStart!.properties.channel!.type).toBe('Channel');
  });

  it('reads parameters from a JSON body as well as from the query string', async () => {
    const res = await fetch(`${fx.url}/ari/bridges?type=holding`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('hotline:hotline').toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ type: 'mixing', name: 'from-body' }),
    });
    expect(await res.json()).toMatchObject({ bridge_type: 'mixing', name: 'from-body' });
    const bad = await fetch(`${fx.url}/ari/bridges`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('hotline:hotline').toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
  });

  it("answers the lab's bad requests with Asterisk's statuses and messages (or a clear 4xx for its 500s)", async () => {
    const call = fx.sip.call('1007');
    await vi.waitFor(() => expect(fx.core.channels.size).toBe(1));
    const caller = [...fx.core.channels.keys()][0]!;
    const cases: [string, string, Record<string, string>, number, string | null][] = [
      ['GET', '/channels/no-such-channel', {}, 404, 'Channel not found'],
      ['POST', '/channels/no-such-channel/answer', {}, 404, 'Channel not found'],
      ['DELETE', '/channels/no-such-channel', {}, 404, 'Channel not found'],
      ['POST', `/channels/${caller}/play`, {}, 400, null],
      ['POST', `/channels/${caller}/dtmf`, {}, 400, 'DTMF is required'],
      [
        'POST',
        `/channels/${caller}/snoop`,
        { spy: 'sideways', app: 'hotline' },
        400,
        'Invalid direction specified for spy',
      ],
      ['POST', `/channels/${caller}/snoop`, { spy: 'in' }, 400, 'Application name is required'],
      ['POST', `/channels/${caller}/variable`, { value: 'x' }, 400, 'Variable name is required'],
      ['POST', `/channels/${caller}/mute`, { direction: 'sideways' }, 400, 'Invalid direction specified'],
      [
        'POST',
        `/channels/${caller}/record`,
        { name: 'lab-bad' },
        422,
        'specified format is unknown on this system',
      ],
      ['POST', '/bridges', { type: 'nonsense' }, 400, null],
      ['POST', '/bridges/no-such-bridge/addChannel', { channel: caller }, 404, 'Bridge not found'],
      ['DELETE', '/bridges/no-such-bridge', {}, 404, 'Bridge not found'],
      ['GET', '/playbacks/no-such-playback', {}, 404, 'Playback not found'],
      ['POST', '/playbacks/no-such-playback/control', { operation: 'pause' }, 404, 'Playback not found'],
      ['POST', '/channels', { app: 'hotline' }, 400, 'Endpoint must be specified'],
      ['POST', '/channels', { endpoint: 'PJSIP/agent2' }, 400, 'Application or extension must be specified'],
      [
        'POST',
        '/channels/externalMedia',
        { app: 'hotline', format: 'ulaw' },
        400,
        'external_host is required for all but websocket server connections',
      ],
      ['GET', '/recordings/stored/no-such-recording', {}, 404, 'Recording not found'],
      ['GET', '/recordings/live/no-such-recording', {}, 404, 'Recording not found'],
      ['GET', '/endpoints/PJSIP/nobody', {}, 404, 'Endpoint not found'],
      ['GET', '/sounds/no-such-prompt', {}, 404, 'Sound not found'],
      ['GET', '/applications/no-such-app', {}, 404, 'Application not found'],
    ];
    for (const [method, path, query, status, message] of cases) {
      const res = await ari(fx.url, method, path, query);
      expect([method, path, res.status]).toEqual([method, path, status]);
      if (message) expect(res.body).toEqual({ message });
    }
    expect((await ari(fx.url, 'GET', '/endpoints/PJSIP/agent2')).body).toEqual({
      technology: 'PJSIP',
      resource: 'agent2',
      state: 'offline',
      channel_ids: [],
    });
    expect((await ari(fx.url, 'GET', '/sounds/hello-world')).body).toEqual({
      id: 'hello-world',
      formats: [{ language: 'en', format: 'slin' }],
    });
    expect((await ari(fx.url, 'GET', '/applications/hotline')).body).toMatchObject({
      name: 'hotline',
      channel_ids: [caller],
      bridge_ids: [],
    });
    call.bye();
  });

  it('subscribes an application to an endpoint and sends it EndpointStateChange', async () => {
    events = [];
    expect(
      (
        await ari(fx.url, 'POST', '/applications/hotline/subscription', {
          eventSource: 'endpoint:PJSIP/agent2',
        })
      ).body,
    ).toMatchObject({ endpoint_ids: ['PJSIP/agent2'] });
    fx.sip.setEndpointState('agent2', 'online');
    await vi.waitFor(() =>
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'EndpointStateChange',
          endpoint: { technology: 'PJSIP', resource: 'agent2', state: 'online', channel_ids: [] },
        }),
      ),
    );
    expect(
      (await ari(fx.url, 'POST', '/applications/hotline/subscription', { eventSource: 'channel:nope' }))
        .status,
    ).toBe(422);
    expect(
      (
        await ari(fx.url, 'DELETE', '/applications/hotline/subscription', {
          eventSource: 'endpoint:PJSIP/agent2',
        })
      ).status,
    ).toBe(200);
  });
});
