#!/usr/bin/env node
/* global setTimeout, clearTimeout, Buffer, fetch */
// ARI conformance against a real Asterisk 22's recorded behaviour (issue 9):
//   1. starts the embedded media server in the lab's shape (test/ari-lab/hotline.yaml),
//   2. waits until its ARI answers,
//   3. runs ../shared/ari-lab/run.mjs against it (options after `--` are passed through:
//      --out DIR, --only a,b, --scenarios FILE, --timeout S, ...),
//   4. compares the traces with Asterisk's (traces/asterisk-22) with compare.mjs,
//   5. stops the server; exits non-zero if a scenario failed or a status code differs.
// --ari URL and --sip HOST:PORT move the server too (tests run it on free ports);
// --reference DIR compares custom --scenarios with other recorded traces.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from './shared-dir.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lab = path.resolve(process.env.HOTLINE_ARI_LAB ?? sharedDir('ari-lab'));
if (!existsSync(path.join(lab, 'run.mjs'))) {
  console.error(`conformance: the ARI lab is not at ${lab} (set HOTLINE_ARI_LAB to its folder)`);
  process.exit(2);
}

// Our options, and everything else for run.mjs.
const args = process.argv.slice(2);
const take = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const ari = take('--ari') ?? 'http://127.0.0.1:8088';
const sip = take('--sip') ?? '127.0.0.1:5060';
const reference = take('--reference');
const out = path.resolve(take('--out') ?? path.join(root, 'var', 'conformance', 'traces'));
const only = take('--only');
const scenarios = take('--scenarios');
const passThrough = [
  ...args,
  ...(only ? ['--only', only] : []),
  ...(scenarios ? ['--scenarios', path.resolve(scenarios)] : []),
];
mkdirSync(out, { recursive: true });

const ariUrl = new URL(ari);
const [, sipPort] = sip.split(':');
const work = mkdtempSync(path.join(os.tmpdir(), 'hotline-conformance-'));
const server = spawn(process.execPath, [path.join(root, 'bin', 'hotline.mjs'), 'media-server'], {
  cwd: root,
  env: {
    ...process.env,
    HOTLINE_CONFIG: path.join(root, 'test', 'ari-lab', 'hotline.yaml'),
    HOTLINE_ARI_URL: ari,
    HOTLINE_MEDIA_SIP_UDP_PORT: sipPort ?? '5060',
    HOTLINE_MEDIA_SIP_TCP_PORT: sipPort ?? '5060',
    HOTLINE_MEDIA_RECORDINGS_DIR: path.join(work, 'recordings'),
    HOTLINE_LOG_PRETTY: 'false',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let serverExited = false;
server.on('exit', () => (serverExited = true));

async function stopServer() {
  if (serverExited) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForAri() {
  const auth = { Authorization: `Basic ${Buffer.from('hotline:hotline').toString('base64')}` };
  for (let i = 0; i < 300; i++) {
    if (serverExited) throw new Error('the media server exited before ARI answered');
    const res = await fetch(`${ariUrl.origin}/ari/asterisk/ping`, { headers: auth }).catch(() => null);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ARI did not answer at ${ari} within 30 s`);
}

function run(script, scriptArgs) {
  const result = spawnSync(process.execPath, [path.join(lab, script), ...scriptArgs], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(result.stdout ?? '');
  return { code: result.status ?? 1, stdout: result.stdout ?? '' };
}

let exitCode = 0;
try {
  await waitForAri();
  const labRun = run('run.mjs', ['--ari', ariUrl.origin, '--sip', sip, '--out', out, ...passThrough]);
  if (labRun.code !== 0) exitCode = 1;
  let refDir = reference
    ? path.resolve(reference)
    : scenarios
      ? null
      : path.join(lab, 'traces', 'asterisk-22');
  if (refDir && only) {
    // Compare only what ran: a reference folder with just those scenarios.
    const subset = path.join(work, 'reference');
    mkdirSync(subset);
    for (const name of only.split(',')) {
      const f = path.join(refDir, `${name}.jsonl`);
      if (existsSync(f)) cpSync(f, path.join(subset, `${name}.jsonl`));
    }
    refDir = subset;
  }
  if (refDir && readdirSync(refDir).some((f) => f.endsWith('.jsonl'))) {
    const compared = run('compare.mjs', [refDir, out]);
    if (compared.code !== 0) exitCode = 1;
  } else if (!refDir) {
    console.log('conformance: custom scenarios and no --reference: traces written, nothing to compare');
  }
} catch (err) {
  console.error(`conformance: ${err.message}`);
  exitCode = 2;
} finally {
  await stopServer();
}
process.exit(exitCode);
