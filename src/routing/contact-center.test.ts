import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../test/helpers/cli.js';
import { ContactCenterError, parseContactCenter, readContactCenter } from './contact-center.js';

function problemsOf(data: unknown): string[] {
  try {
    parseContactCenter(data);
  } catch (err) {
    if (err instanceof ContactCenterError) return err.problems;
    throw err;
  }
  throw new Error('expected a ContactCenterError');
}

describe('contact-center file', () => {
  it('reads the example shipped for the demo hotline', () => {
    const cc = readContactCenter(path.join(projectRoot, 'config/contact-center.yaml'));
    expect(cc.queues.map((q) => q.name)).toEqual([
      'technical-support',
      'orders-billing',
      'complaints',
      'general',
    ]);
    expect(cc.agents.map((a) => a.id)).toEqual(['agent1', 'agent2', 'agent3']);
    const tech = cc.queues[0]!;
    expect(tech.steps.map((s) => s.skills)).toEqual([
      { 'product-certification': 4 },
      { 'product-certification': 2 },
      {},
    ]);
    expect(tech.overflow).toEqual({ queue: 'general' });
  });

  it('names the field of each mistake', () => {
    const problems = problemsOf({
      queues: [{ name: 'q', strategy: 'fastest', steps: [{ skills: { tech: 9 } }, {}] }],
      agents: [{ id: 'a1', endpoint: 'agent1', queues: ['q'] }],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^queues\.0\.strategy: Invalid option: expected one of "longest-idle"/),
      expect.stringMatching(/^queues\.0\.steps\.0\.skills\.tech: Too big/),
      expect.stringMatching(/^agents\.0\.endpoint: an ARI dial string/),
    ]);
  });

  it('wants a duration on every routing step but the last', () => {
    expect(problemsOf({ queues: [{ name: 'q', steps: [{ skills: { tech: 3 } }, {}] }] })).toEqual([
      'queues.0.steps.0.seconds: every step but the last needs `seconds`',
    ]);
  });

  it('refuses agents of unknown queues, overflow to an unknown queue and duplicates', () => {
    const problems = problemsOf({
      queues: [{ name: 'q', overflow: { queue: 'elsewhere' } }, { name: 'q' }],
      agents: [
        { id: 'a1', endpoint: 'PJSIP/a1', queues: ['nowhere'] },
        { id: 'a1', endpoint: 'PJSIP/a1', queues: ['q'] },
      ],
    });
    expect(problems).toEqual([
      'queues.1.name: queue q twice',
      'queues.0.overflow.queue: unknown queue elsewhere',
      'agents.0.queues.0: unknown queue nowhere',
      'agents.1.id: agent a1 twice',
    ]);
  });

  it('says so when the file is missing or not YAML', () => {
    expect(() => readContactCenter('/nonexistent/cc.yaml')).toThrow(/file not found/);
  });
});
