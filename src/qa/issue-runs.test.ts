import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { testRedis, type TestRedis } from '../../test/helpers/redis.js';
import { loadConfig } from '../config.js';
import { HotlineEvents } from '../events.js';
import { silentLogger } from '../logger.js';
import { analyseCall } from './analyse.js';
import { mineAndStoreIssues } from './issue-runs.js';
import { loadRules } from './rules/load.js';
import { saveAnalysis } from './store.js';
import { callOf } from './test-helpers.js';
import { startQa } from './workers/service.js';

const rulesDir = fileURLToPath(new URL('../../qa', import.meta.url));

describe('scheduled issue mining', () => {
  let t: TestDatabase;
  let r: TestRedis;
  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
  });
  afterAll(async () => {
    await r.cleanup();
    await t.drop();
  });

  it('mines the window’s calls, keeps the run and announces issues rising fast', async () => {
    const rules = loadRules(rulesDir);
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 10));
    const calls = [
      ...[1, 2, 3, 4].map((d) =>
        callOf([['caller', '发票开错了，发票抬头要改']], { callId: `inv-${d}`, startedAt: day(d) }),
      ),
      ...[5, 6, 7, 8, 9].map((i) =>
        callOf([['caller', 'my internet keeps dropping, the router light is red']], {
          callId: `net-${i}`,
          startedAt: day(4),
        }),
      ),
    ];
    for (const call of calls) await saveAnalysis(t.db, analyseCall(call, { rules }), 'import');
    const config = loadConfig({ HOTLINE_QA_ISSUE_WINDOW_DAYS: '7' });
    const ctx = { config, db: t.db, redis: r.redis, keys: r.keys };
    const { runId, calls: mined, report } = await mineAndStoreIssues(ctx, day(5));
    expect(mined).toBe(9);
    const { rows } = await t.db.query('SELECT calls, report FROM qa_issue_runs WHERE id = $1', [runId]);
    expect(rows[0].calls).toBe(9);
    expect(rows[0].report.issues).toHaveLength(report.issues.length);
    const network = report.issues.find((i) => i.calls.includes('net-5'))!;
    expect(network.rising).toBe(true);
    const entries = await r.redis.xrange(r.keys.eventsStream(), '-', '+');
    const rising = entries.map(([, f]) => f).find((f) => f[f.indexOf('type') + 1] === 'qa.issues.rising')!;
    expect(JSON.parse(rising[rising.indexOf('data') + 1]!)).toMatchObject({ runId, issues: [{ count: 5 }] });
  });

  it('is scheduled once for every node by the QA service', async () => {
    const config = loadConfig({
      HOTLINE_DATABASE_URL: t.url,
      HOTLINE_REDIS_URL: r.url,
      HOTLINE_REDIS_KEY_PREFIX: r.prefix,
      HOTLINE_QA_RULES_DIR: rulesDir,
      HOTLINE_QA_SEGMENT_FEED: 'events',
      HOTLINE_QA_ISSUE_MINING_EVERY_MS: '3600000',
    });
    const ctx = {
      config,
      log: silentLogger,
      db: t.db,
      redis: r.redis,
      keys: r.keys,
      events: new HotlineEvents(),
    };
    const one = startQa(ctx);
    const two = startQa({ ...ctx });
    const queue = new Queue('qa-issues', { connection: r.redis, prefix: r.keys.bullPrefix });
    try {
      await expect
        .poll(async () => (await queue.getJobSchedulers()).map((s) => s.key), { timeout: 10_000 })
        .toEqual(['mine']);
      expect((await queue.getJobScheduler('mine'))?.every).toBe(3_600_000);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await queue.close();
    }
  });
});
