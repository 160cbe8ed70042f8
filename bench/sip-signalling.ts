// SIP signalling, no media: how many calls per second the SIP layer takes with 0 failed calls,
// sipp's built-in `uac` calling (INVITE, 200, ACK, BYE) a SipServer that answers at once, with
// and without our sip.js parser patch, and sipp's own `uas` in the same run as the ceiling.
//
//   npm run bench:sip                      # ramps each target until a step fails
//   npm run bench:sip -- --seconds 3       # shorter steps
//
// Each rate is held for `--seconds`. A step passes when sipp reports every call successful and
// it finished within 1.5x the planned time; it is also clean when sipp had to retransmit nothing
// (every answer came within its 500 ms T1). The ramp stops at the first step that does not pass.
// Prints each step, a summary, then one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const argValue = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

// ---- the server under test, in its own process (so its CPU is its own) -------------------

async function serve(): Promise<void> {
  const { createSipServer } = await import('../src/media/sip/index.js');
  const port = Number(argValue('--port', '0'));
  const server = createSipServer({ bindAddress: '127.0.0.1', udpPort: port, tcpPort: port });
  server.onIncomingCall((call) => {
    call.answer({ address: '127.0.0.1', port: 4000 }).catch(() => {});
  });
  await server.start();
  process.stdout.write('READY\n');
  process.on('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

/** Parses a typical INVITE with sip.js's parser in a loop; prints µs per parse. */
async function parseBench(): Promise<void> {
  const { Parser } = await import('sip.js/lib/core/index.js');
  const invite = [
    'INVITE sip:1000@127.0.0.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1234-1-0',
    'From: "Caller" <sip:+8613800138000@127.0.0.1:5061>;tag=1234SIPpTag001',
    'To: <sip:1000@127.0.0.1:5060>',
    'Call-ID: 1-1234@127.0.0.1',
    'CSeq: 1 INVITE',
    'Contact: <sip:sipp@127.0.0.1:5061>',
    'Max-Forwards: 70',
    'Content-Type: application/sdp',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const quiet = { error() {}, warn() {}, log() {}, debug() {} } as unknown as Parameters<
    typeof Parser.parseMessage
  >[1];
  for (let i = 0; i < 300; i++) Parser.parseMessage(invite, quiet);
  const n = 3000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) Parser.parseMessage(invite, quiet);
  process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1000 / n}\n`);
}

function parseCost(unpatched: boolean): Promise<number> {
  const hooks = unpatched ? ['--import', unpatchedHook()] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...hooks, here, '--parse'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`parse bench exited ${code}`)),
    );
  });
}

// ---- the benchmark --------------------------------------------------------------------------

const work = mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-sip-'));
const SECONDS = Number(argValue('--seconds', '4'));
const RATES = [100, 150, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1500, 2000, 2500, 3000];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const udp = createSocket('udp4');
    udp.once('error', reject);
    udp.bind(0, '127.0.0.1', () => {
      const { port } = udp.address();
      const tcp = createServer();
      tcp.once('error', () => udp.close(() => resolve(freePort())));
      tcp.listen(port, '127.0.0.1', () => tcp.close(() => udp.close(() => resolve(port))));
    });
  });
}

/** CPU seconds a process has used (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * sip.js as npm ships it: our patch (patches/sip.js+0.21.2.patch) undone in a copy of the
 * grammar, loaded in place of the patched one by a module resolve hook.
 */
function unpatchedHook(): string {
  const require = createRequire(import.meta.url);
  const grammar = path.join(
    path.dirname(require.resolve('sip.js/package.json')),
    'lib/grammar/pegjs/dist/grammar.js',
  );
  const patched = readFileSync(grammar, 'utf8');
  if (!patched.includes('peg$bytecodeCache'))
    throw new Error('the sip.js grammar patch is not applied (run npm install)');
  const lines = patched.split('\n');
  const start = lines.findIndex((l) => l.includes('const peg$bytecode = peg$bytecodeCache ||'));
  const end = lines.findIndex((l, i) => i > start && l.trim() === ']);');
  lines[start] = '    const peg$bytecode = [';
  lines[end] = '    ];';
  const original = lines
    .filter((l) => l !== 'let peg$bytecodeCache;' && !l.includes('see patches/sip.js+0.21.2.patch'))
    .join('\n')
    .replaceAll('"../../', `"${pathToFileURL(path.dirname(path.dirname(path.dirname(grammar)))).href}/`);
  const copy = path.join(work, 'grammar-unpatched.js');
  writeFileSync(copy, original);
  const hook = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  return result.url.endsWith('/sip.js/lib/grammar/pegjs/dist/grammar.js') ? { ...result, url: ${JSON.stringify(pathToFileURL(copy).href)} } : result;
}\n`;
  const hookFile = path.join(work, 'hook.mjs');
  writeFileSync(hookFile, hook);
  const register = path.join(work, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hookFile).href)});\n`,
  );
  return register;
}

interface Target {
  name: string;
  process: ChildProcess;
  port: number;
}

async function startTarget(name: string): Promise<Target> {
  const port = await freePort();
  let child: ChildProcess;
  if (name === 'sipp-uas') {
    child = spawn(
      'sipp',
      ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-nostdin', '-cp', String(await freePort())],
      {
        cwd: work,
        stdio: 'ignore',
      },
    );
    await new Promise((r) => setTimeout(r, 500));
  } else {
    const hooks = name === 'hotline-unpatched' ? ['--import', unpatchedHook()] : [];
    child = spawn(process.execPath, ['--import', 'tsx', ...hooks, here, '--serve', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      child.once('exit', (code) => reject(new Error(`${name} exited (${code})`)));
    });
  }
  return { name, process: child, port };
}

async function stopTarget(target: Target): Promise<void> {
  await new Promise<void>((resolve) => {
    if (target.process.exitCode !== null) return resolve();
    const timer = setTimeout(() => target.process.kill('SIGKILL'), 3000);
    target.process.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    target.process.kill('SIGTERM');
  });
}

interface Step {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  wallSeconds: number;
  responseMs: number;
  serverCpuPercent: number;
  /** Every call succeeded, in time. */
  passed: boolean;
  /** ...and sipp retransmitted nothing. */
  clean: boolean;
}

function statsOf(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const names = lines[0]!.split(';');
  const values = lines[lines.length - 1]!.split(';');
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

function durationMs(text: string | undefined): number {
  const parts = (text ?? '').split(':').map(Number);
  if (parts.length !== 4 || parts.some(Number.isNaN)) return NaN;
  const [h, m, s, us] = parts as [number, number, number, number];
  return ((h * 60 + m) * 60 + s) * 1000 + us / 1000;
}

async function step(target: Target, rate: number, retries = 2): Promise<Step> {
  const calls = rate * SECONDS;
  const statFile = path.join(work, `${target.name}-${rate}.csv`);
  const pid = target.process.pid!;
  const cpuBefore = cpuSeconds(pid);
  const started = Date.now();
  const args = [
    `127.0.0.1:${target.port}`,
    ...['-sn', 'uac', '-s', '1000', '-r', String(rate), '-m', String(calls), '-l', String(rate * 4)],
    ...[
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-mp',
      String(await freePort()),
      '-cp',
      String(await freePort()),
    ],
    ...['-nostdin', '-timeout', `${SECONDS * 3 + 10}s`, '-trace_stat', '-stf', statFile, '-fd', '1'],
  ];
  let error = '';
  const code = await new Promise<number | null>((resolve) => {
    const sipp = spawn('sipp', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    sipp.stderr.on('data', (d: Buffer) => (error += d.toString()));
    sipp.once('exit', resolve);
  });
  const wallSeconds = (Date.now() - started) / 1000;
  if (wallSeconds < 1 && code !== 0) {
    // sipp did not start (a port taken between our check and its bind): not a result.
    if (retries > 0) return step(target, rate, retries - 1);
    throw new Error(`sipp would not start: ${error.trim().slice(-300)}`);
  }
  const cpu = cpuSeconds(pid) - cpuBefore;
  const stats = statsOf(statFile);
  const successful = Number(stats['SuccessfulCall(C)']);
  const failed = Number(stats['FailedCall(C)']);
  const passed = code === 0 && failed === 0 && successful === calls && wallSeconds <= SECONDS * 1.5 + 1;
  return {
    rate,
    calls,
    successful,
    failed,
    retransmissions: Number(stats['Retransmissions(C)']),
    wallSeconds,
    responseMs: durationMs(stats['ResponseTime1(C)']),
    serverCpuPercent: Math.round((cpu / wallSeconds) * 100),
    passed,
    clean: passed && Number(stats['Retransmissions(C)']) === 0,
  };
}

async function ramp(
  name: string,
): Promise<{ name: string; best: Step | null; clean: Step | null; steps: Step[] }> {
  const target = await startTarget(name);
  const steps: Step[] = [];
  try {
    for (const rate of RATES) {
      const s = await step(target, rate);
      steps.push(s);
      console.log(
        `  ${name.padEnd(18)} ${String(rate).padStart(5)} calls/s: ${s.successful}/${s.calls} ok, ${s.failed} failed, ` +
          `${s.retransmissions} retransmissions, INVITE→200 ${s.responseMs.toFixed(1)} ms, server CPU ${s.serverCpuPercent}%, ` +
          `${s.wallSeconds.toFixed(1)} s${s.passed ? (s.clean ? '' : ' (retransmissions)') : ' ← failed'}`,
      );
      if (!s.passed) break;
      // Let the previous step's transactions (64·T1) drain before the next.
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await stopTarget(target);
  }
  const passed = steps.filter((s) => s.passed);
  const clean = steps.filter((s) => s.clean);
  return { name, best: passed[passed.length - 1] ?? null, clean: clean[clean.length - 1] ?? null, steps };
}

async function main(): Promise<void> {
  console.log(
    `SIP signalling, no media: sipp uac → target, ${SECONDS} s per rate, on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''})`,
  );
  const loadBefore = os.loadavg()[0]!;
  const parsePatched = await parseCost(false);
  const parseUnpatched = await parseCost(true);
  console.log(
    `  sip.js parse of an INVITE: ${parseUnpatched.toFixed(0)} µs as shipped, ${parsePatched.toFixed(0)} µs patched`,
  );
  const results: Awaited<ReturnType<typeof ramp>>[] = [];
  for (const name of ['sipp-uas', 'hotline', 'hotline-unpatched']) results.push(await ramp(name));
  const [uas, patched, unpatched] = results as [
    (typeof results)[0],
    (typeof results)[0],
    (typeof results)[0],
  ];
  const cps = (r: (typeof results)[0]) => r.best?.rate ?? 0;
  const clean = (r: (typeof results)[0]) => r.clean?.rate ?? 0;
  console.log('\nHighest rate with 0 failed calls (and with no retransmission either):');
  for (const r of results) {
    const at = r.best
      ? ` (server CPU ${r.best.serverCpuPercent}%, INVITE→200 ${r.best.responseMs.toFixed(0)} ms)`
      : '';
    console.log(`  ${r.name.padEnd(18)} ${cps(r)} calls/s${at}; clean: ${clean(r)} calls/s`);
  }
  const speedup = cps(patched) / Math.max(1, cps(unpatched));
  console.log(
    `  patched / unpatched: ${speedup.toFixed(2)}x; hotline / sipp uas: ${(cps(patched) / Math.max(1, cps(uas))).toFixed(2)}`,
  );
  console.log(
    JSON.stringify({
      bench: 'sip-signalling',
      seconds_per_step: SECONDS,
      cores: os.cpus().length,
      node: process.version,
      load_average: [Number(loadBefore.toFixed(1)), Number(os.loadavg()[0]!.toFixed(1))],
      parse_invite_us: Number(parsePatched.toFixed(1)),
      parse_invite_unpatched_us: Number(parseUnpatched.toFixed(1)),
      sipp_uas_cps: cps(uas),
      hotline_cps: cps(patched),
      hotline_clean_cps: clean(patched),
      hotline_unpatched_cps: cps(unpatched),
      hotline_unpatched_clean_cps: clean(unpatched),
      hotline_cpu_percent: patched.best?.serverCpuPercent ?? null,
      hotline_clean_cpu_percent: patched.clean?.serverCpuPercent ?? null,
      hotline_unpatched_cpu_percent: unpatched.best?.serverCpuPercent ?? null,
      patch_speedup: Number(speedup.toFixed(2)),
      ratio_to_sipp_uas: Number((cps(patched) / Math.max(1, cps(uas))).toFixed(3)),
      steps: Object.fromEntries(
        results.map((r) => [
          r.name,
          r.steps.map((s) => ({
            rate: s.rate,
            failed: s.failed,
            retransmissions: s.retransmissions,
            cpu: s.serverCpuPercent,
          })),
        ]),
      ),
    }),
  );
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--parse')) await parseBench();
else await main();
