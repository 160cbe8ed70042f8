// Shared by the routing end-to-end tests: agents' phones (headless baresip that registers with the
// media server and answers by itself, or never), and the routing log read back from Redis.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { rowOf } from '../../src/routing/queue-log.js';
import type { Redis, RedisKeys } from '../../src/store/index.js';
import { freeSipPort, freeTcpPort } from '../helpers/ports.js';
import { freeUdpRange, workDir } from '../sipp/harness.js';

export interface AgentPhone {
  user: string;
  /** Incoming calls the phone saw (it logs each one). */
  incoming(): number;
  log(): string;
  stop(): Promise<void>;
}

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * A baresip phone registered as `user`. `answer: 'auto'` picks up every call; `'never'` lets it
 * ring (the agent who does not answer). Resolves once the registration is accepted.
 */
export async function startAgentPhone(options: {
  user: string;
  password: string;
  registrarPort: number;
  answer: 'auto' | 'never';
  /** A WAV the agent "says" on every call (the call ends when it ends: pad it); default a quiet tone. */
  voice?: string;
  /** Offer G.722 only (16 kHz), so the offline recogniser can hear the agent. */
  wideband?: boolean;
}): Promise<AgentPhone> {
  const dir = mkdtempSync(path.join(workDir, `routing-${options.user}-`));
  let sipPort = await freeSipPort();
  // its TLS listener takes the SIP port + 1
  for (let i = 0; i < 20 && !(await tcpFree(sipPort + 1)); i++) sipPort = await freeSipPort();
  const ctrlPort = await freeTcpPort();
  const rtpBase = await freeUdpRange(20);
  const wav = options.voice ?? path.join(dir, 'voice.wav');
  // unless told what to say, the agent "speaks" a quiet tone for the length of any test call
  if (!options.voice)
    execFileSync('sox', [
      '-n',
      '-r',
      '8000',
      '-c',
      '1',
      '-b',
      '16',
      wav,
      'synth',
      '120',
      'sine',
      '300',
      'vol',
      '0.1',
    ]);
  writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'sip_transports udp',
      'net_interface 127.0.0.1',
      `audio_source aufile,${wav}`,
      'audio_player aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      `audio_srate ${options.wideband ? 16000 : 8000}`,
      'audio_channels 1',
      `rtp_ports ${rtpBase}-${rtpBase + 19}`,
      'module_path /usr/lib/baresip/modules',
      options.wideband ? 'module g722.so' : 'module g711.so',
      'module aufile.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      '',
    ].join('\n'),
  );
  const answermode = options.answer === 'auto' ? 'auto' : 'manual';
  writeFileSync(
    path.join(dir, 'accounts'),
    `<sip:${options.user}@127.0.0.1:${options.registrarPort};transport=udp>;auth_pass=${options.password};answermode=${answermode};regint=600;audio_codecs=${options.wideband ? 'G722' : 'PCMU,PCMA'}\n`,
  );
  const child: ChildProcess = spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (/200 OK/.test(log)) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > 20_000 || child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`baresip ${options.user} did not register: ${log.slice(-800)}`));
      }
    }, 25);
  });
  return {
    user: options.user,
    // "Incoming call from" when it only rings, "answering call ... from" when it picks up by itself
    incoming: () => (log.match(/Incoming call from|answering call on line/g) ?? []).length,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface LoggedEvent {
  event: string;
  queue: string;
  callId: string;
  agent: string;
  waitMs: number | null;
  data: Record<string, unknown>;
}

/** Every routing event so far (the stream every routing script appends to), oldest first. */
export async function routingLog(redis: Redis, keys: RedisKeys): Promise<LoggedEvent[]> {
  const entries = await redis.xrange(keys.routingLog(), '-', '+');
  return entries.map(([id, fields]) => {
    const row = rowOf(id, fields);
    return {
      event: row.event,
      queue: row.queue ?? '',
      callId: row.callId ?? '',
      agent: row.agent ?? '',
      waitMs: row.waitMs,
      data: row.data,
    };
  });
}

export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
