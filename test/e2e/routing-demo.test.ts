// The demo hotline with its ACD, as `hotline start` runs it (embedded media server, ARI, IVR,
// routing, API; real Postgres and Redis) with the shipped contact center
// (config/contact-center.yaml) and SIP file (config/sip.yaml): a sipp caller walks the demo
// flow with RFC 2833 DTMF and is put through to the baresip agent with the right skill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHotline } from '../../src/app.js';
import { callEvents } from '../../src/store/index.js';
import type { TestDatabase } from '../helpers/db.js';
import { startDemoHotline, type DemoHotline } from './demo-hotline.js';
import { callsFrom, pressAfter, startCaller, trailOf } from './ivr-helpers.js';
import { eventually, startAgentPhone, type AgentPhone } from './routing-helpers.js';

let demo: DemoHotline;
let t: TestDatabase;
let hotline: RunningHotline;
let sipPort: number;
const phones: AgentPhone[] = [];

beforeAll(async () => {
  demo = await startDemoHotline({
    name: 'routing-demo',
    logLevelFrom: 'ROUTING_E2E_LOG',
    env: () => ({
      HOTLINE_QA_ENABLED: 'false',
      HOTLINE_TRANSCRIPTION_ENABLED: 'false',
      HOTLINE_ROUTING_NODE_ID: 'demo-node',
    }),
  });
  ({ database: t, hotline, sipPort } = demo);
  phones.push(
    await startAgentPhone({ user: 'agent1', password: 'secret1', registrarPort: sipPort, answer: 'auto' }),
  );
  phones.push(
    await startAgentPhone({ user: 'agent2', password: 'secret2', registrarPort: sipPort, answer: 'auto' }),
  );
});

afterAll(async () => {
  for (const p of phones) await p.stop();
  await demo?.stop();
});

describe('the demo hotline with its ACD', () => {
  it('puts an English caller with a technical fault through to the product-certified agent', async () => {
    const caller = '+442071234567'; // Sam Taylor in the demo CRM: standard tier, English
    const sipp = startCaller({
      sipPort,
      dialled: '1000',
      from: caller,
      // English, technical support, a fault; then talk to the agent for a while and hang up
      actions: [
        ...pressAfter(1500, '2'),
        ...pressAfter(3000, '1'),
        ...pressAfter(3000, '1'),
        { pause: 9000 },
      ],
      end: 'bye',
    });
    expect((await sipp.done).code).toBe(0);
    const call = await eventually(async () => {
      const [c] = await callsFrom(t.db, caller);
      return c?.ended_at ? c : null;
    }, 30_000);
    // step 1 of technical-support: certification >= 4 and English: agent1 (5), not agent2 (2)
    const { rows } = await t.db.query('SELECT queue, agent, language FROM calls WHERE id = $1', [call.id]);
    expect(rows[0]).toEqual({ queue: 'technical-support', agent: 'agent1', language: 'en' });
    const trail = await trailOf(t.db, call.id);
    expect(trail.find((s) => s.step === 'tech-queue')).toMatchObject({ result: 'connected' });
    expect(phones[0]!.incoming()).toBe(1);
    expect(phones[1]!.incoming()).toBe(0);
    // the routing steps on the call's trail, from the queue log
    const routing = await eventually(async () => {
      const events = (await callEvents(t.db, call.id)).filter((e) => e.source === 'routing');
      return events.some((e) => e.type === 'queue.complete') ? events : null;
    });
    expect(routing.map((e) => e.type)).toEqual([
      'queue.enqueue',
      'queue.reserve',
      'queue.ring',
      'queue.answer',
      'queue.complete',
    ]);
    expect(routing.find((e) => e.type === 'queue.answer')!.data).toMatchObject({ agent: 'agent1' });
  });

  it('shows the agent and the figures on the API after the call', async () => {
    const api = hotline.apiUrl;
    const agent = (await (await fetch(`${api}/api/routing/agents/agent1`)).json()) as {
      callsAnswered: number;
      state: string;
    };
    expect(agent.callsAnswered).toBe(1);
    expect(['wrap-up', 'available']).toContain(agent.state);
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const kpis = (await (
      await fetch(`${api}/api/routing/kpis?from=${from}&to=${to}&queue=technical-support`)
    ).json()) as {
      queues: { offered: number; answered: number; serviceLevel: number }[];
    };
    expect(kpis.queues).toEqual([expect.objectContaining({ offered: 1, answered: 1, serviceLevel: 1 })]);
  });
});
