// npm run bench:routing -- [--agents 10000] [--calls 5000] [--concurrency 48] [--redis redis://127.0.0.1:6379]
//   [--rounds 3] [--command-stats]
// --rounds: throughput runs, each on a fresh contact center and each followed by its own
//   redis-benchmark run; the figures reported are the round with the median ratio, and every
//   round is printed (one run is half a second of decisions: the machine's ups and downs show)
// --command-stats: also print, per timed phase, the Redis commands the scripts ran per decision
// Routing decisions on the real Redis: 10,000 agents with random skills (1–3 of 8, proficiency
// 1–5), languages and queues (4 queues, four strategies); 5,000 waiting callers with random
// requirements (a skill at a level, often a language) and priorities. Two kinds of decision are
// timed through RoutingStore.dispatchCall / dispatchAgent, the calls the router makes:
//   call-driven:  a caller is in line and all 10,000 agents are free: pick agents for the caller
//   agent-driven: an agent comes free with 5,000 callers in line: pick the caller for the agent
// A decision ends with a reservation or with "no match". A store sends the decisions asked for
// while one of its script runs is in flight together in its next run (batcher.ts), as on a node;
// each decision is still counted and timed on its own. Two full runs: throughput with
// `concurrency` decisions in flight (decisions/s), and latency with one at a time (p50/p99 of a
// decision as a node sees it); then the peer figure from `redis-benchmark` on the same Redis in
// the same run: EVAL of `return 1`, the fastest a Lua script can go there (50 clients, its
// default), with Redis' own µs per EVAL in that run (INFO commandstats; the rest of 1 / rate is a
// request's way in and out of Redis, which varies between machines far more than a script's own
// time, and so moves the ratio). The machine's load average is printed too: other work on it
// slows every figure.
// Ends with one JSON line.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, hostname, loadavg } from 'node:os';
import cliProgress from 'cli-progress';
import { Redis } from 'ioredis';
import {
  agentProfileSchema,
  planCall,
  queueSchema,
  RoutingStore,
  type QueueSettings,
} from '../src/routing/index.js';
import { RedisKeys } from '../src/store/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

const AGENTS = Number(arg('agents', '10000'));
const CALLS = Number(arg('calls', '5000'));
const CONCURRENCY = Number(arg('concurrency', '48'));
const REDIS_URL = arg('redis', process.env.HOTLINE_REDIS_URL ?? 'redis://127.0.0.1:6379');
const CONNECTIONS = 8;
const COMMAND_STATS = process.argv.includes('--command-stats');
const ROUNDS = Math.max(1, Number(arg('rounds', '3')));

// A fixed seed: the same contact center every run.
let seed = 20_260_105;
function rand(): number {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const SKILLS = ['tech', 'billing', 'complaints', 'sales', 'returns', 'mobile', 'internet', 'retention'];
const QUEUES: QueueSettings[] = [
  queueSchema.parse({
    name: 'support',
    strategy: 'longest-idle',
    maxSize: 100_000,
    steps: [{ seconds: 3600 }, {}],
  }),
  queueSchema.parse({
    name: 'billing',
    strategy: 'best-skill',
    maxSize: 100_000,
    steps: [{ seconds: 3600 }, {}],
  }),
  queueSchema.parse({
    name: 'complaints',
    strategy: 'fewest-calls',
    maxSize: 100_000,
    steps: [{ seconds: 3600 }, {}],
  }),
  queueSchema.parse({
    name: 'general',
    strategy: 'round-robin',
    maxSize: 100_000,
    steps: [{ seconds: 3600 }, {}],
  }),
];

function randomAgent(i: number) {
  const skills: Record<string, number> = {};
  const n = 1 + Math.floor(rand() * 3);
  while (Object.keys(skills).length < n) skills[pick(SKILLS)] = 1 + Math.floor(rand() * 5);
  const r = rand();
  const languages = r < 0.4 ? ['zh'] : r < 0.7 ? ['en'] : ['zh', 'en'];
  const queues = [...new Set([pick(QUEUES).name, ...(rand() < 0.5 ? [pick(QUEUES).name] : [])])];
  return agentProfileSchema.parse({
    id: `agent${i}`,
    endpoint: `PJSIP/agent${i}`,
    skills,
    languages,
    queues,
  });
}

function randomCaller(i: number, now: number) {
  const queue = pick(QUEUES);
  const skills: Record<string, number> = { [pick(SKILLS)]: 1 + Math.floor(rand() * 4) };
  if (rand() < 0.2) skills[pick(SKILLS)] = 1 + Math.floor(rand() * 3);
  const language = rand() < 0.8 ? pick(['zh', 'en']) : undefined;
  return {
    callId: `caller${i}`,
    queue: queue.name,
    plan: planCall(queue, { skills, language }, now),
    priority: rand() < 0.1 ? 10 : 0,
    enqueuedAt: now,
    channelId: `chan${i}`,
    mode: 'caller' as const,
    language,
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Redis' own count of FCALL runs and the µs it spent in them (INFO commandstats): the server-side
 * cost of a decision. (Other software here uses EVALSHA, BullMQ for one; FCALL is routing's.)
 */
async function scriptStats(redis: Redis): Promise<{ calls: number; usec: number; commands: CommandStats }> {
  const commands = parseCommandStats(await redis.info('commandstats'));
  const fcall = commands.get('fcall');
  return { calls: fcall?.calls ?? 0, usec: fcall?.usec ?? 0, commands };
}

type CommandStats = Map<string, { calls: number; usec: number }>;

function parseCommandStats(info: string): CommandStats {
  const stats: CommandStats = new Map();
  for (const m of info.matchAll(/cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/g))
    stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  return stats;
}

/**
 * What the scripts ran in a phase, per decision: Redis counts the commands a script calls as
 * their own (Redis 7), so FCALL's µs less theirs is the Lua itself. Printed with --command-stats.
 */
function printCommandStats(
  label: string,
  before: CommandStats,
  after: CommandStats,
  decisions: number,
): void {
  const rows: { name: string; calls: number; usec: number }[] = [];
  for (const [name, a] of after) {
    const b = before.get(name) ?? { calls: 0, usec: 0 };
    if (a.calls > b.calls)
      rows.push({ name, calls: (a.calls - b.calls) / decisions, usec: (a.usec - b.usec) / decisions });
  }
  rows.sort((x, y) => y.usec - x.usec);
  const inner = rows.filter((r) => !['fcall', 'info'].includes(r.name)).reduce((sum, r) => sum + r.usec, 0);
  const fcall = rows.find((r) => r.name === 'fcall')?.usec ?? 0;
  process.stderr.write(
    `${label}: per decision, FCALL ${fcall.toFixed(1)} µs = commands ${inner.toFixed(1)} + Lua ${(fcall - inner).toFixed(1)}\n`,
  );
  for (const r of rows)
    process.stderr.write(
      `  ${r.name.padEnd(18)} ${r.calls.toFixed(2).padStart(6)} calls  ${r.usec.toFixed(1).padStart(6)} µs\n`,
    );
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/** Runs `work` for every item with `concurrency` in flight, over several stores (connections). */
async function runAll<T>(
  label: string,
  items: T[],
  stores: RoutingStore[],
  work: (store: RoutingStore, item: T) => Promise<unknown>,
  concurrency: number,
  timed: boolean,
): Promise<{
  latencies: number[];
  seconds: number;
  results: unknown[];
  redisUsPerDecision: number;
  runsPerDecision: number;
}> {
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(28)} [{bar}] {value}/{total}`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(items.length, 0);
  const latencies: number[] = [];
  const results: unknown[] = new Array(items.length);
  const before = await scriptStats(stores[0]!.redis);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const store = stores[w % stores.length]!;
      for (let i = next++; i < items.length; i = next++) {
        const t = process.hrtime.bigint();
        results[i] = await work(store, items[i]!);
        if (timed) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (i % 250 === 0) bar.update(i);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = await scriptStats(stores[0]!.redis);
  bar.update(items.length);
  bar.stop();
  if (COMMAND_STATS && timed) printCommandStats(label, before.commands, after.commands, items.length);
  // per decision, not per script run: one run may carry several decisions
  const redisUsPerDecision = (after.usec - before.usec) / items.length;
  const runsPerDecision = (after.calls - before.calls) / items.length;
  return {
    latencies: latencies.sort((a, b) => a - b),
    seconds,
    results,
    redisUsPerDecision,
    runsPerDecision,
  };
}

/**
 * The peer: redis-benchmark's EVAL "return 1" rate, and Redis' own µs per EVAL in that run (INFO
 * commandstats): what is left of 1 / rate is each request's way in and out of Redis (network,
 * system calls), which differs far more between machines than a script's own time does.
 */
async function redisBenchmarkEval(
  url: string,
  redis: Redis,
): Promise<{ perSecond: number; usPerEval: number }> {
  const u = new URL(url);
  const before = parseCommandStats(await redis.info('commandstats')).get('eval') ?? { calls: 0, usec: 0 };
  const out = execFileSync(
    'redis-benchmark',
    ['-h', u.hostname, '-p', u.port || '6379', '-n', '200000', '-c', '50', '--csv', 'EVAL', 'return 1', '0'],
    { encoding: 'utf8' },
  );
  const after = parseCommandStats(await redis.info('commandstats')).get('eval') ?? { calls: 0, usec: 0 };
  const line = out
    .trim()
    .split('\n')
    .find((l) => l.startsWith('"EVAL'));
  if (!line) throw new Error(`cannot read redis-benchmark output:\n${out}`);
  const usPerEval =
    after.calls > before.calls ? (after.usec - before.usec) / (after.calls - before.calls) : NaN;
  return { perSecond: Number(line.split(',')[1]!.replace(/"/g, '')), usPerEval };
}

interface PhaseFigures {
  decisions: number;
  /** µs Redis spent in the routing scripts per decision (INFO commandstats), the server-side cost. */
  redisUsPerDecision: number;
  /** Script runs (FCALL) per decision: below 1 when decisions went in batches. */
  runsPerDecision: number;
  matched: number;
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function figures(
  run: { latencies: number[]; seconds: number; redisUsPerDecision: number; runsPerDecision: number },
  matched: number,
): PhaseFigures {
  return {
    decisions: run.latencies.length,
    redisUsPerDecision: Number(run.redisUsPerDecision.toFixed(1)),
    runsPerDecision: Number(run.runsPerDecision.toFixed(3)),
    matched,
    decisionsPerSecond: Math.round(run.latencies.length / run.seconds),
    p50Ms: Number(percentile(run.latencies, 50).toFixed(3)),
    p99Ms: Number(percentile(run.latencies, 99).toFixed(3)),
    maxMs: Number(run.latencies[run.latencies.length - 1]!.toFixed(3)),
  };
}

interface RunFigures {
  concurrency: number;
  callDriven: PhaseFigures;
  agentDriven: PhaseFigures;
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** One full run on a fresh key prefix: load the contact center, then the two kinds of decision. */
async function run(concurrency: number): Promise<RunFigures> {
  seed = 20_260_105;
  const prefix = `bench-routing-${randomUUID()}`;
  const keys = new RedisKeys(prefix);
  const connections = Array.from(
    { length: CONNECTIONS },
    () => new Redis(REDIS_URL, { maxRetriesPerRequest: 3 }),
  );
  const node = `bench-${hostname()}`;
  const stores = connections.map((r) => new RoutingStore(r, keys, node));
  const store = stores[0]!;
  const agentIds = Array.from({ length: AGENTS }, (_, i) => `agent${i}`);
  const each = <T>(label: string, items: T[], work: (s: RoutingStore, item: T) => Promise<unknown>) =>
    runAll(label, items, stores, work, 32, false);
  try {
    for (const q of QUEUES) await store.loadQueue(q);
    await each(
      'loading agents',
      agentIds.map((_, i) => randomAgent(i)),
      (s, a) => s.loadAgent(a),
    );
    // everyone logged in on a break: staffed queues accept callers, nobody takes them yet
    await each('agents log in (aux)', agentIds, (s, id) => s.setAgentState(id, 'aux', 'break'));
    const now = Date.now();
    const callers = Array.from({ length: CALLS }, (_, i) => randomCaller(i, now));
    await each('callers join the queues', callers, (s, c) => s.enqueue(c));
    await each('agents become available', agentIds, (s, id) => s.setAgentState(id, 'available'));

    // call-driven: each waiting caller, all agents free at the start
    const callRun = await runAll(
      `call-driven (${concurrency} in flight)`,
      shuffle(callers.map((c) => c.callId)),
      stores,
      (s, id) => s.dispatchCall(id),
      concurrency,
      true,
    );
    const callMatched = callRun.results.filter((r) => (r as { kind: string }).kind === 'offered').length;

    // back to 5,000 callers in line, every agent free again, then each agent decides
    await each(
      'reset: callers hang up',
      callers.map((c) => c.callId),
      (s, id) => s.abandon(id),
    );
    const callers2 = Array.from({ length: CALLS }, (_, i) => randomCaller(CALLS + i, Date.now()));
    await each('reset: agents on a break', agentIds, (s, id) => s.setAgentState(id, 'aux', 'break'));
    await each('reset: new callers join', callers2, (s, c) => s.enqueue(c));
    await each('reset: agents available', agentIds, (s, id) => s.setAgentState(id, 'available'));
    const agentRun = await runAll(
      `agent-driven (${concurrency} in flight)`,
      shuffle([...agentIds]),
      stores,
      (s, id) => s.dispatchAgent(id),
      concurrency,
      true,
    );
    const agentMatched = agentRun.results.filter((r) => (r as { kind: string }).kind === 'offered').length;
    const all = [...callRun.latencies, ...agentRun.latencies].sort((a, b) => a - b);
    return {
      concurrency,
      callDriven: figures(callRun, callMatched),
      agentDriven: figures(agentRun, agentMatched),
      decisionsPerSecond: Math.round(all.length / (callRun.seconds + agentRun.seconds)),
      p50Ms: Number(percentile(all, 50).toFixed(3)),
      p99Ms: Number(percentile(all, 99).toFixed(3)),
    };
  } finally {
    // the routing library keeps each key base's match index in Redis' one Lua heap until it is
    // told otherwise: a run's index would slow the runs after it (a larger heap to collect)
    await store.matchIndex('forget');
    let cursor = '0';
    do {
      const [nextCursor, found] = await store.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (found.length) await store.redis.del(...found);
    } while (cursor !== '0');
    for (const c of connections) c.disconnect();
  }
}

async function main() {
  const loadBefore = loadavg()[0]!;
  // throughput: many decisions in flight, as redis-benchmark's 50 clients, each round with its own
  // peer figure; latency: one at a time
  const rounds: { throughput: RunFigures; evalPerSecond: number; usPerEval: number; ratio: number }[] = [];
  const statsConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const throughput = await run(CONCURRENCY);
      process.stderr.write('redis-benchmark EVAL "return 1" (200,000 requests, 50 clients)...\n');
      const peer = await redisBenchmarkEval(REDIS_URL, statsConnection);
      rounds.push({
        throughput,
        evalPerSecond: peer.perSecond,
        usPerEval: peer.usPerEval,
        ratio: throughput.decisionsPerSecond / peer.perSecond,
      });
    }
  } finally {
    statsConnection.disconnect();
  }
  const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)]!;
  const { throughput, evalPerSecond, usPerEval } = median;
  // µs per EVAL outside its execution (see redisBenchmarkEval)
  const evalRoundTripUs = 1e6 / evalPerSecond - usPerEval;
  const latency = await run(1);
  const loadAfter = loadavg()[0]!;
  const result = {
    bench: 'routing',
    agents: AGENTS,
    waitingCalls: CALLS,
    decisionsPerSecond: throughput.decisionsPerSecond,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    redisBenchmarkEvalPerSecond: Math.round(evalPerSecond),
    ratioToEval: Number(median.ratio.toFixed(3)),
    redisUsPerEval: Number(usPerEval.toFixed(2)),
    evalRoundTripUs: Number(evalRoundTripUs.toFixed(2)),
    rounds: rounds.map((r) => ({
      decisionsPerSecond: r.throughput.decisionsPerSecond,
      redisBenchmarkEvalPerSecond: Math.round(r.evalPerSecond),
      redisUsPerEval: Number(r.usPerEval.toFixed(2)),
      ratioToEval: Number(r.ratio.toFixed(3)),
      redisUsPerDecision: [
        r.throughput.callDriven.redisUsPerDecision,
        r.throughput.agentDriven.redisUsPerDecision,
      ],
    })),
    throughputRun: throughput,
    latencyRun: latency,
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadAfter.toFixed(2)) },
    targets: { p99UnderMs: 2, ratioAtLeast: 0.3 },
    met: { p99: latency.p99Ms < 2, ratio: median.ratio >= 0.3 },
  };
  const line = (label: string, f: PhaseFigures) =>
    `  ${label.padEnd(13)} ${String(f.decisions).padStart(6)} decisions (${f.matched} matched)  ` +
    `${String(f.decisionsPerSecond).padStart(6)}/s  p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms  max ${f.maxMs} ms  ` +
    `(Redis ${f.redisUsPerDecision} µs/decision, ${f.runsPerDecision} runs/decision)\n`;
  const block = (title: string, r: RunFigures) =>
    `${title}: ${r.concurrency} in flight\n` +
    line('call-driven', r.callDriven) +
    line('agent-driven', r.agentDriven) +
    `  all           ${r.decisionsPerSecond}/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms\n`;
  process.stdout.write(
    `\nRouting decisions on ${REDIS_URL}: ${AGENTS} agents, ${CALLS} callers in line ` +
      `(load average ${result.loadAverage.before} -> ${result.loadAverage.after} on ${cpus().length} cores)\n` +
      rounds
        .map(
          (r, i) =>
            `round ${i + 1}: ${r.throughput.decisionsPerSecond} decisions/s, EVAL ${Math.round(r.evalPerSecond)}/s, ` +
            `ratio ${r.ratio.toFixed(3)}\n`,
        )
        .join('') +
      block(`throughput (the median round of ${rounds.length})`, throughput) +
      block('latency', latency) +
      `redis-benchmark EVAL "return 1" (50 clients) in that round: ${result.redisBenchmarkEvalPerSecond}/s ` +
      `(Redis' own time ${result.redisUsPerEval} µs per EVAL, ${result.evalRoundTripUs} µs its way in and out)\n` +
      `decisions/s ${result.decisionsPerSecond} = ${result.ratioToEval} of EVAL (target >= 0.3: ` +
      `${result.met.ratio ? 'met' : 'NOT met'}); p99 ${result.p99Ms} ms (target < 2 ms: ` +
      `${result.met.p99 ? 'met' : 'NOT met'})\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
