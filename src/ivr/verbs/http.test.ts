import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowFrom, runFlows } from '../testing/harness.js';

// A real HTTP server on loopback standing in for a CRM.
let server: Server;
let base: string;
const seen: { method: string; url: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body });
      if (req.url === '/customers/%2B8613800138000') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: 'Zhang Wei', tier: 'vip', orders: { open: 2 }, lastAgent: 'agent1' }));
      } else if (req.url?.startsWith('/slow')) {
        setTimeout(() => res.end('{}'), 2000);
      } else if (req.url?.startsWith('/broken')) {
        res.statusCode = 500;
        res.end('oops');
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const flow = (url: string, extra = '') =>
  flowFrom(`
start: lookup
steps:
  lookup:
    verb: http
    url: "${url}"
    timeout: 0.5
    map:
      customer.name: name
      customer.tier: tier
      customer.openOrders: orders.open
      customer.lastAgent: lastAgent
    next: known
    notFound: unknown
    failed: down
${extra}
  known: { verb: hangup, outcome: known }
  unknown: { verb: hangup, outcome: unknown }
  down: { verb: hangup, outcome: down }
`);

describe('http', () => {
  it('maps fields of the JSON answer into variables (relative URL, caller number encoded)', async () => {
    const run = runFlows(flow('/customers/{{caller.number}}'), { services: { httpBaseUrl: base } });
    expect((await run.done).outcome).toBe('known');
    expect(run.session.vars).toEqual({
      customer: { name: 'Zhang Wei', tier: 'vip', openOrders: 2, lastAgent: 'agent1' },
    });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/customers/%2B8613800138000' });
    expect(run.trail.steps[0]).toMatchObject({ result: 'ok', data: { status: 200 } });
  });

  it('goes to notFound on 404', async () => {
    const run = runFlows(flow(`${base}/customers/{{caller.number}}-nobody`));
    expect((await run.done).outcome).toBe('unknown');
    expect(run.session.vars).toEqual({});
  });

  it('gives up after the timeout and goes to failed', async () => {
    const run = runFlows(flow(`${base}/slow`));
    expect((await run.done).outcome).toBe('down');
    expect(run.trail.steps[0]).toMatchObject({ result: 'timeout', next: 'down' });
  });

  it('goes to failed on a server error', async () => {
    const run = runFlows(flow(`${base}/broken`));
    expect((await run.done).outcome).toBe('down');
    expect(run.trail.steps[0]).toMatchObject({ result: 'error', data: { reason: 'HTTP 500' } });
  });

  it('posts a JSON body filled from variables', async () => {
    const post = flowFrom(`
start: hook
steps:
  hook:
    verb: http
    method: POST
    url: "${base}/webhook"
    body: { caller: "{{caller.number}}", issue: "{{issue}}", tags: [ivr] }
    next: done
  done: { verb: hangup }
`);
    const run = runFlows(post, { vars: { issue: 'latency' } });
    await run.done;
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({
      caller: '+8613800138000',
      issue: 'latency',
      tags: ['ivr'],
    });
  });
});
