// The shipped demo hotline (flows/demo.yaml), walked through the interpreter with fakes and fake
// timers, its CRM lookup answered by the real demo CRM route on a loopback fastify server.
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../../test/helpers/cli.js';
import { ApiError } from '../api/index.js';
import type { AppContext } from '../context.js';
import { silentLogger } from '../logger.js';
import { demoCrmRoutes } from './demo-crm.js';
import { FlowCatalog } from './flow/catalog.js';
import type { Flow } from './flow/flow.js';
import { defaultLanguages } from './languages.js';
import { FakeChannel, FakeRouter, MemoryStore } from './testing/fakes.js';
import { runFlows } from './testing/harness.js';

let crm: FastifyInstance;
let crmUrl: string;
let demo: Flow;

beforeAll(async () => {
  crm = Fastify();
  crm.setErrorHandler((err, _req, reply) =>
    reply.status(err instanceof ApiError ? err.status : 500).send({ message: (err as Error).message }),
  );
  await demoCrmRoutes(crm as never, {} as AppContext);
  crmUrl = await crm.listen({ host: '127.0.0.1', port: 0 });
  const catalog = new FlowCatalog(path.join(projectRoot, 'flows'), {
    languages: Object.keys(defaultLanguages),
    log: silentLogger,
  });
  catalog.loadAll();
  demo = catalog.get('demo')!;
});
afterAll(() => crm.close());

// Tuesday 2026-11-24 10:00 in Shanghai (open), and Sunday 22:00 (closed).
const open = () => new Date('2026-11-24T02:00:00Z');
const closed = () => new Date('2026-11-29T14:00:00Z');

/** Real timers while the CRM answers over the loopback, fake ones for prompts and waits. */
async function until(check: () => boolean) {
  for (let i = 0; i < 1000 && !check(); i++) {
    await vi.advanceTimersByTimeAsync(50);
    await new Promise((r) => setImmediate(r));
  }
}

describe('the demo hotline', () => {
  it('routes a VIP caller who chose Chinese and a latency problem to product-certified agents, first in line', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const router = new FakeRouter();
      const run = runFlows(demo, { services: { router, httpBaseUrl: crmUrl, now: open } });
      await until(() => run.channel.played.length > 0);
      run.channel.press('1'); // 中文
      await until(() => run.trail.path.includes('hours'));
      await until(() => run.channel.played.some((m) => m.includes('技术支持请按1')));
      run.channel.press('1'); // technical support
      await until(() => run.channel.played.some((m) => m.includes('网络延迟请按3')));
      run.channel.press('3'); // latency
      await until(() => router.calls.length > 0);
      expect(router.last.request).toMatchObject({
        queue: 'technical-support',
        skills: { 'product-certification': 1 },
        priority: 10,
        language: 'zh',
        lastAgent: 'agent1',
        data: {
          issue: 'latency',
          department: 'technical-support',
          tier: 'vip',
          customer: '张伟',
          openOrders: 2,
        },
      });
      expect(run.trail.path).toEqual([
        'answer',
        'init',
        'choose-language',
        'chinese',
        'lookup',
        'vip-check',
        'vip-priority',
        'vip-greeting',
        'hours',
        'main-menu',
        'tech-menu',
      ]);
      expect(run.channel.played).toContain('sound:tts/zh/尊敬的VIP客户张伟，您好，我们将优先为您服务。');
      router.last.settle({ kind: 'connected', agent: 'agent1', agentChannelId: 'a', bridgeId: 'b' });
      expect(await run.done).toMatchObject({ outcome: 'connected', how: 'handed-off' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends an unknown English caller with no agents available to voicemail, filed under the department', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const store = new MemoryStore();
      const channel = new FakeChannel('c2', '+8613300000000');
      const run = runFlows(demo, { channel, services: { httpBaseUrl: crmUrl, now: open, store } });
      await until(() => channel.played.length > 1);
      channel.press('2'); // English
      await until(() => channel.played.some((m) => m.includes('For orders and billing')));
      channel.press('2');
      await until(() => channel.recordings.length > 0);
      expect(channel.played).toContain('sound:tts/en/We are sorry, no agent can take your call right now.');
      channel.recordings[0]!.finish('done', 9);
      await until(() => channel.hungUp);
      const end = await run.done;
      expect(store.voicemails[0]).toMatchObject({
        mailbox: 'orders-billing',
        language: 'en',
        durationSeconds: 9,
      });
      expect(run.trail.path).toEqual([
        'answer',
        'init',
        'choose-language',
        'english',
        'lookup',
        'hours',
        'main-menu',
        'billing-queue',
        'no-agents',
        'voicemail',
        'goodbye',
      ]);
      expect(run.trail.steps.find((s) => s.step === 'lookup')).toMatchObject({ result: 'not-found' });
      expect(run.trail.steps.find((s) => s.step === 'billing-queue')).toMatchObject({ result: 'no-router' });
      expect(end.outcome).toBe('voicemail');
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes after-hours callers to voicemail, in Chinese when they choose nothing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const run = runFlows(demo, { services: { httpBaseUrl: crmUrl, now: closed } });
      await until(() => run.channel.recordings.length > 0);
      expect(run.trail.path).toEqual([
        'answer',
        'init',
        'choose-language',
        'chinese',
        'lookup',
        'vip-check',
        'vip-priority',
        'vip-greeting',
        'hours',
        'after-hours',
      ]);
      expect(run.trail.steps[2]).toMatchObject({
        result: 'fallback',
        data: { tried: ['timeout', 'timeout'] },
      });
      run.channel.callerHangsUp();
      expect((await run.done).outcome).toBe('voicemail');
    } finally {
      vi.useRealTimers();
    }
  });
});
