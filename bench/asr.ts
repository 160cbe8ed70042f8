// npm run bench:asr -- [--set DIR] [--prompts FILE] [--calls 20] [--parallel 2] [--limit N] [--groups a,b]
//                      [--ramp-ms 30000] [--rounds 2] [--skip-load] [--skip-accuracy]
//
// Live transcription with the embedded recogniser, against pocketsphinx's own CLI on the same
// audio in the same run:
//   1. accuracy: every labelled file through Hotline's pipeline (RTP → receiver → PCM → resample →
//      pocketsphinx provider → segments stored in Postgres and Redis), and through
//      `pocketsphinx_continuous` (FACTS.md's command line; 8 kHz files upsampled with sox first);
//      WER and real-time factor for each, per part of the set.
//   2. load: `--calls` concurrent calls, caller and agent taking turns, RTP at real-time pace,
//      connecting one by one over `--ramp-ms` (0: all at once; then they all start their
//      recognisers in the same second, see docs/transcription.md, Capacity), each playing its
//      share of the set `--rounds` times;
//      latency from the end of each turn's speech to its last segment stored (p50/p99), WER under
//      load, turns with no segment.
// The set is DIR (WAV files + refs.tsv) or, by default, built now from espeak-ng sentences and the
// Asterisk prompts listed in --prompts (8 kHz and 16 kHz versions). Ends with one JSON line.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { HotlineEvents } from '../src/events.js';
import { silentLogger } from '../src/logger.js';
import { writeWav } from '../src/media/index.js';
import { createDb, createRedis, migrate, RedisKeys } from '../src/store/index.js';
import { PocketsphinxProvider } from '../src/transcription/providers/pocketsphinx.js';
import type { TranscriptSegment } from '../src/transcription/segment.js';
import { CallTranscription, type SessionDeps } from '../src/transcription/session.js';
import { SegmentPublisher } from '../src/transcription/store.js';
import { LoopbackForkAri, RtpSender, speechEnd } from './asr/loopback.js';
import { buildDefaultSet, loadSet, type LabelledAudio } from './asr/set.js';
import { percentile, tally, werOf } from './asr/wer.js';
import { sharedDir } from '../scripts/shared-dir.mjs';

const execFileAsync = promisify(execFile);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const config = loadConfig(process.env);
const ps = config.transcription.pocketsphinx;
const CLI_ARGS = ['-hmm', ps.hmm, '-lm', ps.lm, '-dict', ps.dict, '-logfn', '/dev/null'];
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function bar(title: string, total: number): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar(
    {
      format: `${title.padEnd(22)} [{bar}] {value}/{total} {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0);
  return b;
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The CLI on one file: text and wall time (model load included, as for ours). */
async function cli(item: LabelledAudio, work: string): Promise<{ text: string; ms: number }> {
  const wav16 = path.join(work, `cli-${item.file}`);
  const original = path.join(work, `orig-${item.file}`);
  writeFileSync(original, writeWav(item.pcm, item.rate));
  const t0 = performance.now();
  if (item.rate === 16000) writeFileSync(wav16, writeWav(item.pcm, 16000));
  else await execFileAsync('sox', [original, '-r', '16000', wav16]);
  const { stdout } = await execFileAsync('pocketsphinx_continuous', ['-infile', wav16, ...CLI_ARGS], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return { text: stdout.replace(/\s+/g, ' ').trim(), ms: performance.now() - t0 };
}

interface Rig {
  deps: SessionDeps;
  ari: LoopbackForkAri;
  provider: PocketsphinxProvider;
  stored: { segment: TranscriptSegment; at: number }[];
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const admin = process.env.HOTLINE_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hotline_bench_asr_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = createDb({ database: { url: url.toString(), poolSize: 10 } });
  await migrate(db);
  const redis = createRedis({ redis: { url: config.redis.url, keyPrefix: `bench-asr-${process.pid}` } });
  const keys = new RedisKeys(`bench-asr-${process.pid}`);
  const publisher = new SegmentPublisher({ db, redis, keys, events: new HotlineEvents(), log: silentLogger });
  const ari = new LoopbackForkAri();
  const provider = new PocketsphinxProvider(ps);
  // As a running hotline has them before its first calls (pocketsphinx.warmProcesses).
  await provider.warmUp();
  const stored: Rig['stored'] = [];
  const deps: SessionDeps = {
    ari,
    fork: {
      bindAddress: '127.0.0.1',
      advertiseAddress: '127.0.0.1',
      portMin: 0,
      portMax: 0,
      wideband: 'auto',
    },
    sink: {
      publish: async (segment) => {
        await publisher.publish(segment);
        if (segment.final) stored.push({ segment, at: Date.now() });
      },
    },
    report: () => undefined,
    log: silentLogger,
  };
  return {
    deps,
    ari,
    provider,
    stored,
    async close() {
      await provider.close();
      await db.end();
      const keysLeft = await redis.keys(`bench-asr-${process.pid}:*`);
      if (keysLeft.length) await redis.del(...keysLeft);
      redis.disconnect();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

let callNo = 0;

/** Ours on one file: one call, one party, audio sent as fast as the receiver takes it. */
async function ours(r: Rig, item: LabelledAudio): Promise<{ text: string; ms: number }> {
  const callId = `accuracy-${++callNo}`;
  const channel = `${callId}-caller`;
  if (item.rate === 16000) r.ari.wideband.add(channel);
  const t0 = performance.now();
  const session = new CallTranscription(r.deps, {
    callId,
    startedAt: Date.now(),
    language: 'en-US',
    provider: r.provider,
    parties: [{ party: 'caller', channelId: channel }],
  });
  await session.start();
  const sender = new RtpSender(await r.ari.target(channel), item.rate);
  const frame = sender.frameSamples;
  for (let at = 0, n = 0; at < item.pcm.length; at += frame, n++) {
    await sender.send(item.pcm.subarray(at, at + frame));
    if (n % 25 === 24) await new Promise((res) => setImmediate(res));
  }
  sender.close();
  const sentAt = performance.now();
  await session.stop();
  if (process.env.BENCH_DEBUG)
    console.log(item.file, {
      sendMs: Math.round(sentAt - t0),
      stopMs: Math.round(performance.now() - sentAt),
    });
  const text = r.stored
    .filter((s) => s.segment.callId === callId)
    .sort((a, b) => a.segment.startMs - b.segment.startMs)
    .map((s) => s.segment.text)
    .join(' ');
  return { text, ms: performance.now() - t0 };
}

interface Turn {
  callId: string;
  party: 'caller' | 'agent';
  item: LabelledAudio;
  startMs: number;
  endMs: number;
  speechEndMs: number;
  speechEndAt?: number;
}

/** CPU seconds so far of this process and of its children that have exited (the recognisers). */
function cpuSeconds(): { own: number; children: number } {
  // Fields 14-17 of /proc/self/stat (utime, stime, cutime, cstime), in clock ticks (100 per second).
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ').map(Number);
  return { own: (f[11]! + f[12]!) / 100, children: (f[13]! + f[14]!) / 100 };
}

/**
 * Calls at once, turns alternating between caller and agent, real-time RTP. The calls connect one
 * after another, evenly over `rampMs` (0: all in the same instant), as a hotline's calls arrive.
 */
async function load(
  r: Rig,
  items: LabelledAudio[],
  calls: number,
  rampMs: number,
  rounds: number,
  progress: cliProgress.SingleBar,
) {
  const turns: Turn[] = [];
  // Even calls are wideband (16 kHz files), odd ones G.711 (8 kHz files); files dealt round-robin.
  const plans = Array.from({ length: calls }, (_, c) => ({
    callId: `load-${c}`,
    rate: c % 2 === 0 ? (16000 as const) : (8000 as const),
    items: [] as LabelledAudio[],
  }));
  const dealt = { 8000: 0, 16000: 0 };
  for (const item of items) {
    const same = plans.filter((p) => p.rate === item.rate);
    const list = same.length ? same : plans;
    list[dealt[item.rate]++ % list.length]!.items.push(item);
  }
  for (const plan of plans) {
    const own = plan.items.filter((i) => i.rate === plan.rate);
    // Longer calls: the same turns again, so the calls overlap for longer at their full number.
    plan.items = Array.from({ length: rounds }, () => own).flat();
  }
  const cpuBefore = cpuSeconds();
  const spans: { from: number; to: number }[] = [];
  await Promise.all(
    plans.map(async (plan, c) => {
      await new Promise((res) => setTimeout(res, (c * rampMs) / calls));
      const startedAt = Date.now();
      spans.push({ from: startedAt, to: Infinity });
      const span = spans[spans.length - 1]!;
      const channels = { caller: `${plan.callId}-caller`, agent: `${plan.callId}-agent` };
      if (plan.rate === 16000) Object.values(channels).forEach((c) => r.ari.wideband.add(c));
      const session = new CallTranscription(r.deps, {
        callId: plan.callId,
        startedAt,
        language: 'en-US',
        provider: r.provider,
        parties: [
          { party: 'caller', channelId: channels.caller },
          { party: 'agent', channelId: channels.agent },
        ],
      });
      await session.start();
      const senders = {
        caller: new RtpSender(await r.ari.target(channels.caller), plan.rate),
        agent: new RtpSender(await r.ari.target(channels.agent), plan.rate),
      };
      // The call's script: 1 s of quiet, then each turn followed by 1 s of quiet.
      const frame = senders.caller.frameSamples;
      const schedule: { party: 'caller' | 'agent'; pcm: Int16Array; turn: Turn | null }[] = [];
      let at = 1000;
      schedule.push({ party: 'caller', pcm: new Int16Array(plan.rate), turn: null });
      plan.items.forEach((item, i) => {
        const party = i % 2 === 0 ? 'caller' : 'agent';
        const durMs = (item.pcm.length / plan.rate) * 1000;
        const turn: Turn = {
          callId: plan.callId,
          party,
          item,
          startMs: at,
          endMs: at + durMs,
          speechEndMs: at + (speechEnd(item.pcm) / plan.rate) * 1000,
        };
        turns.push(turn);
        schedule.push({ party, pcm: item.pcm, turn }, { party, pcm: new Int16Array(plan.rate), turn: null });
        at += durMs + 1000;
      });
      // Segment times count from the session's startedAt; the script's from its first frame.
      const lead = Date.now() - startedAt;
      for (const turn of turns.filter((t) => t.callId === plan.callId)) {
        turn.startMs += lead;
        turn.endMs += lead;
        turn.speechEndMs += lead;
      }
      const t0 = performance.now();
      let k = 0;
      for (const part of schedule) {
        const speechEndFrame = part.turn ? Math.floor(speechEnd(part.pcm) / frame) : -1;
        for (let f = 0; f * frame < part.pcm.length; f++, k++) {
          const speaking = part.pcm.subarray(f * frame, (f + 1) * frame);
          const other = part.party === 'caller' ? 'agent' : 'caller';
          await Promise.all([senders[part.party].send(speaking), senders[other].send(new Int16Array(frame))]);
          if (f === speechEndFrame && part.turn) part.turn.speechEndAt = Date.now();
          const wait = t0 + (k + 1) * 20 - performance.now();
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        }
        if (part.turn) progress.increment();
      }
      senders.caller.close();
      senders.agent.close();
      span.to = Date.now();
      await session.stop();
    }),
  );
  const cpuAfter = cpuSeconds();
  // Each turn: its party's finals within the turn (and the quiet after it).
  const latencies: number[] = [];
  const pairs: { reference: string; hypothesis: string }[] = [];
  let missed = 0;
  for (const turn of turns) {
    const finals = r.stored.filter(
      (s) =>
        s.segment.callId === turn.callId &&
        s.segment.party === turn.party &&
        s.segment.endMs > turn.startMs - 200 &&
        s.segment.startMs < turn.endMs + 800,
    );
    pairs.push({ reference: turn.item.text, hypothesis: finals.map((s) => s.segment.text).join(' ') });
    if (!finals.length || turn.speechEndAt === undefined) {
      missed++;
      continue;
    }
    latencies.push(Math.max(...finals.map((s) => s.at)) - turn.speechEndAt);
    if (process.env.BENCH_DEBUG)
      console.log(
        turn.callId,
        turn.party,
        turn.item.file,
        Math.round(turn.speechEndMs),
        finals.map((s) => [s.segment.startMs, s.segment.endMs, s.at - turn.speechEndAt!]),
      );
  }
  const speechS = turns.reduce((sum, t) => sum + (t.speechEndMs - t.startMs) / 1000, 0);
  const cpu = {
    speechS: round(speechS, 1),
    // This process: RTP senders, receivers, resampling, speech gates, Postgres/Redis clients.
    benchProcessS: round(cpuAfter.own - cpuBefore.own, 1),
    recognisersS: round(cpuAfter.children - cpuBefore.children, 1),
    recognisersPerSpeechS: round((cpuAfter.children - cpuBefore.children) / speechS),
  };
  // How long all the calls were up at once: from the last one's start to the first one's end.
  const allUpS = Math.max(
    0,
    (Math.min(...spans.map((x) => x.to)) - Math.max(...spans.map((x) => x.from))) / 1000,
  );
  return { turns: turns.length, missed, latencies, wer: tally(pairs), cpu, allUpS: round(allUpS, 1) };
}

async function main(): Promise<void> {
  const promptsFile = arg('--prompts') ?? sharedDir('asr', 'asterisk-prompts-dev.tsv');
  const setDir = arg('--set') ?? (await buildDefaultSet(promptsFile));
  const limit = Number(arg('--limit') ?? 0);
  const only = arg('--groups')?.split(',');
  const loaded = loadSet(setDir).filter((i) => !only || only.includes(i.group));
  const items = limit ? loaded.slice(0, limit) : loaded;
  const calls = Number(arg('--calls') ?? 20);
  const parallel = Number(arg('--parallel') ?? 2);
  // Calls connect one by one over this long, as a hotline's arrive (0: all in the same instant),
  // and each plays its turns `rounds` times: by default they arrive over 30 s and last about 75 s,
  // so all of them are up together for the second half of the run.
  const rampMs = Number(arg('--ramp-ms') ?? 30_000);
  const rounds = Number(arg('--rounds') ?? 2);
  const work = mkdtempSync(path.join(tmpdir(), 'hotline-bench-asr-'));
  console.log(`set: ${setDir} (${items.length} files), calls: ${calls}, parallel: ${parallel}`);
  const r = await rig();
  const groups = [...new Set(items.map((i) => i.group))].sort();
  const results = new Map<
    LabelledAudio,
    { cli: { text: string; ms: number }; ours: { text: string; ms: number } }
  >();
  try {
    const accuracy = !process.argv.includes('--skip-accuracy');
    const b1 = bar('CLI (baseline)', accuracy ? items.length : 0);
    const cliOut = new Map<LabelledAudio, { text: string; ms: number }>();
    await inParallel(accuracy ? items : [], parallel, async (item) => {
      cliOut.set(item, await cli(item, work));
      b1.increment();
    });
    b1.stop();
    const decodedBy = () => ({ ...r.provider.decoded });
    const b2 = bar('Hotline pipeline', accuracy ? items.length : 0);
    await inParallel(accuracy ? items : [], parallel, async (item) => {
      results.set(item, { cli: cliOut.get(item)!, ours: await ours(r, item) });
      b2.increment();
    });
    b2.stop();

    const byGroup: Record<
      string,
      { files: number; werOurs: number; werCli: number; rtfOurs: number; rtfCli: number }
    > = {};
    const all = {
      ours: { errors: 0, words: 0 },
      cli: { errors: 0, words: 0 },
      audio: 0,
      oursMs: 0,
      cliMs: 0,
    };
    if (accuracy) console.log('\npart            files  WER ours  WER CLI   RTF ours  RTF CLI');
    for (const group of accuracy ? groups : []) {
      const members = items.filter((i) => i.group === group);
      const o = tally(members.map((i) => ({ reference: i.text, hypothesis: results.get(i)!.ours.text })));
      const c = tally(members.map((i) => ({ reference: i.text, hypothesis: results.get(i)!.cli.text })));
      const audio = members.reduce((s, i) => s + (i.pcm.length / i.rate) * 1000, 0);
      const oMs = members.reduce((s, i) => s + results.get(i)!.ours.ms, 0);
      const cMs = members.reduce((s, i) => s + results.get(i)!.cli.ms, 0);
      byGroup[group] = {
        files: members.length,
        werOurs: round(werOf(o)),
        werCli: round(werOf(c)),
        rtfOurs: round(oMs / audio),
        rtfCli: round(cMs / audio),
      };
      Object.assign(all, {
        ours: { errors: all.ours.errors + o.errors, words: all.ours.words + o.words },
        cli: { errors: all.cli.errors + c.errors, words: all.cli.words + c.words },
        audio: all.audio + audio,
        oursMs: all.oursMs + oMs,
        cliMs: all.cliMs + cMs,
      });
      const g = byGroup[group];
      console.log(
        `${group.padEnd(16)}${String(g.files).padStart(5)}  ${g.werOurs.toFixed(3).padStart(8)}  ${g.werCli.toFixed(3).padStart(7)}  ${g.rtfOurs.toFixed(3).padStart(9)}  ${g.rtfCli.toFixed(3).padStart(7)}`,
      );
    }
    const werOurs = round(werOf(all.ours));
    const werCli = round(werOf(all.cli));
    if (accuracy)
      console.log(
        `${'all'.padEnd(16)}${String(items.length).padStart(5)}  ${werOurs.toFixed(3).padStart(8)}  ${werCli.toFixed(3).padStart(7)}  ${round(
          all.oursMs / all.audio,
        )
          .toFixed(3)
          .padStart(9)}  ${round(all.cliMs / all.audio)
          .toFixed(3)
          .padStart(7)}`,
      );

    // Utterances per decoder setting in each phase (pocketsphinx.underLoad).
    const accuracyDecoded = decodedBy();
    let loadDecoded: { standard: number; underLoad: number } | null = null;
    let loadResult: Awaited<ReturnType<typeof load>> | null = null;
    if (!process.argv.includes('--skip-load')) {
      const b3 = bar(`${calls} calls, real time`, items.length * rounds);
      loadResult = await load(r, items, calls, rampMs, rounds, b3);
      b3.stop();
      const after = decodedBy();
      loadDecoded = {
        standard: after.standard - accuracyDecoded.standard,
        underLoad: after.underLoad - accuracyDecoded.underLoad,
      };
      console.log(
        `\nload: ${calls} concurrent calls (caller + agent), ${loadResult.turns} turns: latency end of speech → stored p50 ${Math.round(percentile(loadResult.latencies, 50))} ms, p99 ${Math.round(percentile(loadResult.latencies, 99))} ms; WER under load ${round(werOf(loadResult.wer)).toFixed(3)}; turns with no segment ${loadResult.missed}; CPU: bench process ${loadResult.cpu.benchProcessS} s, recognisers ${loadResult.cpu.recognisersS} s for ${loadResult.cpu.speechS} s of speech`,
      );
      console.log(
        `all ${calls} calls up together for ${loadResult.allUpS} s; decoder settings: ${loadDecoded.standard} utterances standard, ${loadDecoded.underLoad} under-load (pocketsphinx.underLoad above ${ps.underLoad.aboveStreams} open streams)`,
      );
    }
    console.log(
      JSON.stringify({
        bench: 'asr',
        set: arg('--set') ? setDir : 'default',
        files: items.length,
        wer: accuracy ? { ours: werOurs, cli: werCli, ratio: werCli ? round(werOurs / werCli) : null } : null,
        rtf: accuracy ? { ours: round(all.oursMs / all.audio), cli: round(all.cliMs / all.audio) } : null,
        accuracyUtterancesBySetting: accuracy ? accuracyDecoded : null,
        byGroup,
        load: loadResult && {
          calls,
          rampMs,
          rounds,
          allCallsUpS: loadResult.allUpS,
          turns: loadResult.turns,
          latencyMs: {
            p50: Math.round(percentile(loadResult.latencies, 50)),
            p99: Math.round(percentile(loadResult.latencies, 99)),
          },
          wer: round(werOf(loadResult.wer)),
          missedTurns: loadResult.missed,
          utterancesBySetting: loadDecoded,
          cpu: loadResult.cpu,
        },
        vadPostspeechMs: ps.vadPostspeechMs,
        pocketsphinxArgs: [...ps.args, ...ps.dictationArgs],
        underLoad: ps.underLoad,
        maxUtterances: ps.maxUtterances,
        warmProcesses: ps.warmProcesses,
      }),
    );
  } finally {
    await r.close();
    rmSync(work, { recursive: true, force: true });
    if (!arg('--set')) rmSync(setDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
