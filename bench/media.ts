// npm run bench:media — the embedded media server as a whole (SIP + engine + core + ARI), driven
// by real sipp callers and a minimal ARI controller, on this machine:
//
// (a) call setups per second for "answer → 2 s prompt → hang up" through ARI, raised step by
//     step until calls fail; the same rates between sipp's own uac and uas in the same run are
//     the signalling ceiling (what sipp alone can do here).
// (b) concurrent two-party calls bridged through ARI (sipp places the calls, the controller
//     answers and bridges them in pairs), with RTP both ways from the load generator
//     (bench/lib/rtp-load.ts): late (> 40 ms gap) and lost packets, server CPU; the same load
//     through a plain Node UDP relay is the ceiling.
//
// Prints each step, a summary, and ends with one JSON line of all figures. Knobs:
// BENCH_RATES, BENCH_STEP_SECONDS, BENCH_CALLS, BENCH_WARMUP_MS, BENCH_MEASURE_MS, BENCH_PART (a|b).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort, freeTcpPort, freeUdpPort } from '../test/helpers/ports.js';
import { MiniAri, type AriEvent } from './lib/ari-controller.js';
import { BenchChild } from './lib/child.js';
import type { LoadResult } from './lib/rtp-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const list = (v: string | undefined, d: string) => (v ?? d).split(',').map(Number);
const RATES = list(process.env.BENCH_RATES, '100,150,200,250,300,400,500,600,800');
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 10);
const CALLS = list(process.env.BENCH_CALLS, '200,500,800,1000,1200');
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 8000);
const PART = process.env.BENCH_PART ?? 'ab';
const PROMPT = 'conf-extended'; // 2.07 s, Asterisk's own recording
const LOAD_SOCKETS = 16;
const work = mkdtempSync(path.join(tmpdir(), 'hotline-bench-media-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------- sipp ----------

interface SippStats {
  code: number | null;
  successful: number;
  failed: number;
  /** INVITEs sent again because no answer came in time (the server fell behind). */
  retransmissions: number;
  /** Response time INVITE → 200 OK, ms. */
  setupP50: number;
  setupP99: number;
}

async function runSipp(args: string[], timeoutS: number): Promise<SippStats> {
  const dir = mkdtempSync(path.join(work, 'sipp-'));
  const control = await freeUdpPort();
  const child = spawn(
    'sipp',
    [
      ...args,
      '-cp',
      String(control),
      '-nostdin',
      '-trace_screen',
      '-trace_rtt',
      '-rtt_freq',
      '1',
      '-timeout',
      `${timeoutS}s`,
      '-timeout_error',
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const files = readdirSync(dir);
  const screen = files.find((f) => f.endsWith('_screen.log'));
  const text = screen ? readFileSync(path.join(dir, screen), 'utf8') : '';
  const counter = (name: string) =>
    Number(new RegExp(`${name}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(text)?.[1] ?? 0);
  const rtt = files.find((f) => f.endsWith('_rtt.csv'));
  const times = rtt
    ? readFileSync(path.join(dir, rtt), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(';')[1]))
        .filter((n) => Number.isFinite(n))
        .sort((a, b) => a - b)
    : [];
  const pct = (p: number) =>
    times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))]! : 0;
  if (!screen && stderr) console.error(stderr.slice(-500));
  rmSync(dir, { recursive: true, force: true });
  return {
    code,
    successful: counter('Successful call'),
    failed: counter('Failed call'),
    retransmissions: Number(/INVITE ---------->\s+\d+\s+(\d+)/.exec(text)?.[1] ?? 0),
    setupP50: round(pct(0.5)),
    setupP99: round(pct(0.99)),
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

// ---------- the server and the controller ----------

interface Server {
  child: BenchChild;
  ari: MiniAri;
  sipPort: number;
  events: (e: AriEvent) => void;
}

async function startServer(): Promise<Server> {
  const child = new BenchChild(path.join(here, 'lib/media-server-child.ts'));
  const ariPort = await freeTcpPort();
  const sipPort = await freeSipPort();
  const started = await child.request<{ ariUrl: string; sipPort: number }>({
    cmd: 'start',
    ariPort,
    sipPort,
    rtpMin: 40000,
    rtpMax: 49999,
    recordingsDir: path.join(work, 'recordings'),
  });
  const ari = new MiniAri(started.ariUrl, 'bench');
  const server: Server = { child, ari, sipPort: started.sipPort, events: () => undefined };
  ari.onEvent = (e) => server.events(e);
  await ari.connect();
  return server;
}

async function stopServer(s: Server): Promise<void> {
  s.ari.close();
  await s.child.request({ cmd: 'stop' });
  await s.child.stop();
}

async function waitIdle(s: Server, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const c = await s.child.request<Record<string, number>>({ cmd: 'counts' });
    if (c.channels === 0 && c.bridges === 0 && c.dialogs === 0 && c.endpoints === 0) return true;
    await sleep(200);
  }
  return false;
}

// ---------- (a) call setups per second ----------

interface SetupStep {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  ariErrors: number;
  setupP50: number;
  setupP99: number;
  serverCpuPercent: number;
  /** Every call completed as scripted (0 failed, no ARI error, everything freed after). */
  clean: boolean;
  /** Clean, and answered promptly: no INVITE retransmitted, median setup under 10 ms. */
  fast: boolean;
}

async function setupStep(s: Server, rate: number): Promise<SetupStep> {
  const calls = rate * STEP_SECONDS;
  let ariErrors = 0;
  const prompts = new Map<string, string>();
  const check = (r: { status: number }) => {
    if (r.status >= 400) ariErrors++;
  };
  s.events = (e) => {
    if (e.type === 'StasisStart') {
      const id = (e.channel as { id: string }).id;
      const playbackId = `pb-${id}`;
      prompts.set(playbackId, id);
      void (async () => {
        check(await s.ari.request('POST', `/channels/${id}/answer`));
        check(
          await s.ari.request('POST', `/channels/${id}/play/${playbackId}`, { media: `sound:${PROMPT}` }),
        );
      })().catch(() => ariErrors++);
    } else if (e.type === 'PlaybackFinished') {
      const id = prompts.get((e.playback as { id: string }).id);
      if (!id) return;
      prompts.delete((e.playback as { id: string }).id);
      void s.ari
        .request('DELETE', `/channels/${id}`)
        .then(check)
        .catch(() => ariErrors++);
    }
  };
  await s.child.request({ cmd: 'cpu-start' });
  const sipp = await runSipp(
    [
      '-sf',
      path.join(here, 'sipp/caller-wait-bye.xml'),
      `127.0.0.1:${s.sipPort}`,
      '-s',
      '1000',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdpPort()),
      '-mp',
      String(await freeUdpPort()),
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-l',
      '10000',
    ],
    STEP_SECONDS + 60,
  );
  const cpu = await s.child.request<number>({ cmd: 'cpu' });
  const idle = await waitIdle(s);
  const clean = sipp.code === 0 && sipp.failed === 0 && sipp.successful === calls && ariErrors === 0 && idle;
  return {
    rate,
    calls,
    successful: sipp.successful,
    failed: sipp.failed + (calls - sipp.successful - sipp.failed),
    retransmissions: sipp.retransmissions,
    ariErrors,
    setupP50: sipp.setupP50,
    setupP99: sipp.setupP99,
    serverCpuPercent: Math.round(cpu),
    clean,
    fast: clean && sipp.retransmissions === 0 && sipp.setupP50 < 10,
  };
}

/** sipp uac → sipp uas at the same rate and call length: the ceiling of the signalling tools. */
async function ceilingSetupStep(rate: number): Promise<SetupStep> {
  const port = await freeSipPort();
  const uas = spawn(
    'sipp',
    [
      '-sn',
      'uas',
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mp',
      String(await freeUdpPort()),
      '-cp',
      String(await freeUdpPort()),
      '-nostdin',
    ],
    { stdio: 'ignore' },
  );
  await sleep(300);
  const calls = rate * STEP_SECONDS;
  const sipp = await runSipp(
    [
      '-sn',
      'uac',
      `127.0.0.1:${port}`,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdpPort()),
      '-mp',
      String(await freeUdpPort()),
      '-d',
      '2070',
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-l',
      '10000',
    ],
    STEP_SECONDS + 60,
  );
  // sipp runs in the foreground (no -bg, which would detach it from this process): stop it here.
  uas.kill('SIGKILL');
  const clean = sipp.code === 0 && sipp.failed === 0 && sipp.successful === calls;
  return {
    rate,
    calls,
    successful: sipp.successful,
    failed: sipp.failed,
    retransmissions: sipp.retransmissions,
    ariErrors: 0,
    setupP50: sipp.setupP50,
    setupP99: sipp.setupP99,
    serverCpuPercent: 0,
    clean,
    fast: clean && sipp.retransmissions === 0 && sipp.setupP50 < 10,
  };
}

function printSetup(label: string, r: SetupStep): void {
  console.log(
    `${label.padEnd(10)} ${String(r.rate).padStart(4)} calls/s  ${String(r.calls).padStart(5)} calls  ok ${String(r.successful).padStart(5)}  failed ${r.failed}  INVITE retrans ${r.retransmissions}  ARI errors ${r.ariErrors}  setup p50 ${r.setupP50} p99 ${r.setupP99} ms  server CPU ${r.serverCpuPercent}%  ${r.clean ? (r.fast ? 'clean, fast' : 'clean, slow') : 'NOT clean'}`,
  );
}

// ---------- (b) concurrent bridged calls ----------

interface BridgedStep extends LoadResult {
  calls: number;
  latePercent: number;
  lostPercent: number;
  serverCpuPercent: number;
  setupSeconds: number;
  clean: boolean;
}

function summarise(
  calls: number,
  load: LoadResult,
  serverCpuPercent: number,
  setupSeconds: number,
): BridgedStep {
  const latePercent = load.measured ? (100 * load.late) / load.measured : 100;
  const lostPercent = load.sent ? (100 * load.lost) / load.sent : 100;
  return {
    calls,
    ...load,
    latePercent: Math.round(latePercent * 100) / 100,
    lostPercent: Math.round(lostPercent * 100) / 100,
    serverCpuPercent: Math.round(serverCpuPercent),
    setupSeconds,
    clean: latePercent < 1 && lostPercent < 1,
  };
}

async function bridgedStep(
  s: Server,
  load: BenchChild,
  loadPorts: number[],
  calls: number,
): Promise<BridgedStep> {
  const legs = calls * 2;
  const channelOf = new Map<number, string>();
  let ariErrors = 0;
  const check = (r: { status: number }) => {
    if (r.status >= 400) ariErrors++;
  };
  const bridges: string[] = [];
  s.events = (e) => {
    if (e.type !== 'StasisStart') return;
    const id = (e.channel as { id: string }).id;
    const leg = Number((e.args as string[])[0]!.slice(1));
    void (async () => {
      check(await s.ari.request('POST', `/channels/${id}/answer`));
      channelOf.set(leg, id);
      const other = leg ^ 1;
      const otherId = channelOf.get(other);
      if (!otherId) return;
      const bridgeId = `b${Math.min(leg, other)}`;
      bridges.push(bridgeId);
      check(await s.ari.request('POST', `/bridges/${bridgeId}`, { type: 'mixing' }));
      check(await s.ari.request('POST', `/bridges/${bridgeId}/addChannel`, { channel: `${otherId},${id}` }));
    })().catch(() => ariErrors++);
  };
  // Each call dials 9<leg> and offers the RTP port of the load generator socket its leg uses.
  const injection = path.join(work, `legs-${legs}.csv`);
  writeFileSync(
    injection,
    ['SEQUENTIAL', ...Array.from({ length: legs }, (_, i) => `9${i};${loadPorts[i % LOAD_SOCKETS]}`)].join(
      '\n',
    ) + '\n',
  );
  const started = performance.now();
  const sipp = runSipp(
    [
      '-sf',
      path.join(here, 'sipp/caller-rtp-injected.xml'),
      `127.0.0.1:${s.sipPort}`,
      '-inf',
      injection,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdpPort()),
      '-mp',
      String(await freeUdpPort()),
      '-r',
      '200',
      '-m',
      String(legs),
      '-l',
      String(legs),
    ],
    600,
  );
  const until = Date.now() + 120_000;
  while (bridges.length < calls && Date.now() < until) await sleep(100);
  await sleep(500);
  const setupSeconds = round((performance.now() - started) / 1000);
  // Where each leg's RTP goes: the server's RTP port for that channel (CHANNEL(rtp,src), as in Asterisk).
  const targets: number[] = [];
  for (let leg = 0; leg < legs; leg++) {
    const id = channelOf.get(leg);
    const r = id
      ? await s.ari.request('GET', `/channels/${id}/variable`, { variable: 'CHANNEL(rtp,src)' })
      : null;
    targets[leg] = Number(String((r?.body as { value?: string } | null)?.value ?? ':0').split(':')[1]);
  }
  const running = load.request<LoadResult>({
    cmd: 'run',
    targets,
    targetSockets: targets.map((_, i) => i % LOAD_SOCKETS),
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
  });
  await sleep(WARMUP_MS);
  await s.child.request({ cmd: 'cpu-start' });
  await sleep(MEASURE_MS);
  const cpu = await s.child.request<number>({ cmd: 'cpu' });
  const result = await running;
  for (const id of channelOf.values()) check(await s.ari.request('DELETE', `/channels/${id}`));
  const sippDone = await sipp;
  for (const b of bridges) await s.ari.request('DELETE', `/bridges/${b}`);
  await waitIdle(s);
  const step = summarise(calls, result, cpu, setupSeconds);
  if (bridges.length < calls || sippDone.failed > 0 || ariErrors > 0) {
    console.log(
      `  (only ${bridges.length}/${calls} calls bridged, sipp failed ${sippDone.failed}, ARI errors ${ariErrors})`,
    );
    step.clean = false;
  }
  return step;
}

async function ceilingBridgedStep(load: BenchChild, calls: number): Promise<BridgedStep> {
  const relay = new BenchChild(path.join(here, 'lib/udp-relay.ts'));
  try {
    const pairs = await relay.request<[number, number][]>({ cmd: 'open', calls });
    const targets = pairs.flat();
    const running = load.request<LoadResult>({
      cmd: 'run',
      targets,
      targetSockets: targets.map((_, i) => i % LOAD_SOCKETS),
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
    });
    await sleep(WARMUP_MS);
    await relay.request({ cmd: 'cpu-start' });
    await sleep(MEASURE_MS);
    const cpu = await relay.request<number>({ cmd: 'cpu' });
    return summarise(calls, await running, cpu, 0);
  } finally {
    await relay.stop();
  }
}

function printBridged(label: string, r: BridgedStep): void {
  console.log(
    `${label.padEnd(10)} ${String(r.calls).padStart(5)} calls  ${String(r.sent).padStart(8)} sent  lost ${r.lostPercent.toFixed(2)}%  late ${r.latePercent.toFixed(2)}%  gap p50 ${r.gapP50} p99 ${r.gapP99} max ${r.gapMax} ms  server CPU ${r.serverCpuPercent}%  load CPU ${Math.round(r.cpuPercent)}% (stall ${r.generatorStallMs} ms)${r.setupSeconds ? `  set up in ${r.setupSeconds} s` : ''}  ${r.clean ? 'clean' : 'NOT clean'}`,
  );
}

/**
 * Runs the steps in order. A step that is not clean is tried once more (this machine is shared);
 * the rise stops after `stopAfter` steps in a row that are not clean.
 */
async function rise<T extends { clean: boolean }>(
  values: number[],
  label: string,
  step: (v: number) => Promise<T>,
  print: (l: string, r: T) => void,
  stopAfter = 1,
): Promise<T[]> {
  const out: T[] = [];
  let failedInARow = 0;
  for (const v of values) {
    let r = await step(v);
    print(label, r);
    if (!r.clean) {
      r = await step(v);
      print(`${label} again`, r);
    }
    out.push(r);
    failedInARow = r.clean ? 0 : failedInARow + 1;
    if (failedInARow >= stopAfter) break;
  }
  return out;
}

async function main(): Promise<void> {
  console.log(
    `bench:media — embedded media server (SIP + engine + core + ARI); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const figures: Record<string, unknown> = { machine: 'Debian 12, Node 20, 2 cores' };

  if (PART.includes('a')) {
    console.log(
      `\n(a) call setups/s: answer → ${PROMPT} (2.07 s) → hang up, through ARI; ${STEP_SECONDS} s per step`,
    );
    let server = await startServer();
    const ours = await rise(
      RATES,
      'hotline',
      async (rate) => {
        const r = await setupStep(server, rate);
        if (!r.clean) {
          // A fresh server for the retry, so one bad step does not poison the next.
          await stopServer(server);
          server = await startServer();
        }
        return r;
      },
      printSetup,
    );
    await stopServer(server);
    const ceiling = await rise(RATES, 'sipp-uas', ceilingSetupStep, printSetup);
    const best = (rs: SetupStep[], fast: boolean) =>
      rs.filter((r) => (fast ? r.fast : r.clean)).at(-1) ?? null;
    const o = best(ours, false);
    const f = best(ours, true);
    const c = best(ceiling, false);
    console.log(
      `max setups/s with 0 failed calls: hotline ${o?.rate ?? 0} (server CPU ${o?.serverCpuPercent ?? '-'}%, setup p50 ${o?.setupP50 ?? '-'} p99 ${o?.setupP99 ?? '-'} ms); ` +
        `answered promptly too (no INVITE retransmission, setup p50 < 10 ms): ${f?.rate ?? 0}; ` +
        `sipp uac→uas ${c?.rate ?? 0}${c && c === ceiling.at(-1) ? ' (not its limit)' : ''}; Asterisk 22 through ARI on this machine: 250 (FACTS.md)`,
    );
    figures.setups = {
      maxRateZeroFailed: o?.rate ?? 0,
      maxRatePrompt: f?.rate ?? 0,
      serverCpuPercent: o?.serverCpuPercent ?? null,
      setupP50Ms: o?.setupP50 ?? null,
      setupP99Ms: o?.setupP99 ?? null,
      sippUasMaxCleanRate: c?.rate ?? 0,
      steps: ours,
      ceilingSteps: ceiling,
    };
  }

  if (PART.includes('b')) {
    console.log(
      `\n(b) concurrent two-party calls bridged through ARI, µ-law 50 pps per leg both ways; ${WARMUP_MS} ms warm-up, ${MEASURE_MS} ms measured; late = gap > 40 ms`,
    );
    const load = new BenchChild(path.join(here, 'lib/rtp-load.ts'));
    const loadPorts = await load.request<number[]>({ cmd: 'open', sockets: LOAD_SOCKETS });
    let server = await startServer();
    const ours = await rise(
      CALLS,
      'hotline',
      async (calls) => {
        const r = await bridgedStep(server, load, loadPorts, calls);
        if (!r.clean) {
          await stopServer(server);
          server = await startServer();
        }
        return r;
      },
      printBridged,
      2,
    );
    await stopServer(server);
    const ceiling = await rise(
      CALLS,
      'node-udp',
      (calls) => ceilingBridgedStep(load, calls),
      printBridged,
      2,
    );
    await load.request({ cmd: 'close' });
    await load.stop();
    const best = (rs: BridgedStep[]) => rs.filter((r) => r.clean).at(-1) ?? null;
    const o = best(ours);
    const c = best(ceiling);
    console.log(
      `max clean concurrent bridged calls: hotline ${o?.calls ?? 0} (late ${o?.latePercent ?? '-'}%, lost ${o?.lostPercent ?? '-'}%, server CPU ${o?.serverCpuPercent ?? '-'}%); plain Node UDP relay ${c?.calls ?? 0}; Asterisk 22: 1000 at ~121% CPU (FACTS.md)`,
    );
    const strip = (r: BridgedStep) => ({
      calls: r.calls,
      generatorStallMs: r.generatorStallMs,
      latePercent: r.latePercent,
      lostPercent: r.lostPercent,
      gapP99: r.gapP99,
      serverCpuPercent: r.serverCpuPercent,
      setupSeconds: r.setupSeconds,
      clean: r.clean,
    });
    figures.bridged = {
      maxCleanCalls: o?.calls ?? 0,
      latePercent: o?.latePercent ?? null,
      lostPercent: o?.lostPercent ?? null,
      serverCpuPercent: o?.serverCpuPercent ?? null,
      nodeUdpMaxCleanCalls: c?.calls ?? 0,
      steps: ours.map(strip),
      ceilingSteps: ceiling.map(strip),
    };
  }
  rmSync(work, { recursive: true, force: true });
  console.log(JSON.stringify(figures));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
