// A headless baresip phone (modules ctrl_tcp and aufile; answers by itself) for the tests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { freeSipPort, freeTcpPort } from '../helpers/ports.js';
import { freeUdpRange, track, workDir } from './processes.js';

async function tcpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve(true)));
  });
}

export interface Baresip {
  sipPort: number;
  log(): string;
  command(command: string, params?: string): Promise<string>;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BaresipOptions {
  user: string;
  password: string;
  registrarPort: number;
  regint?: number;
  /** `auto` (default) picks up every call; `manual` lets it ring (an agent who does not answer). */
  answer?: 'auto' | 'manual';
  /** A WAV the phone "says" on every call (the call ends when it ends: pad it); default a quiet tone. */
  voice?: string;
  /** Offer G.722 only (16 kHz) instead of PCMU/PCMA. */
  wideband?: boolean;
}

/** A headless baresip phone registering as `user` with our server. */
export async function startBaresip(options: BaresipOptions): Promise<Baresip> {
  const dir = mkdtempSync(path.join(workDir, `baresip-${options.user}-`));
  mkdirSync(dir, { recursive: true });
  let sipPort = await freeSipPort();
  // baresip's TLS listener takes the SIP port + 1.
  for (let i = 0; i < 20 && !(await tcpPortFree(sipPort + 1)); i++) sipPort = await freeSipPort();
  const ctrlPort = await freeTcpPort();
  const rtpBase = await freeUdpRange(20);
  const wav = options.voice ?? path.join(dir, 'tone.wav');
  // unless told what to say, the phone "speaks" a quiet tone for the length of any test call
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
      '440',
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
  writeFileSync(
    path.join(dir, 'accounts'),
    `<sip:${options.user}@127.0.0.1:${options.registrarPort};transport=udp>;auth_pass=${options.password};answermode=${options.answer ?? 'auto'};regint=${options.regint ?? 600};audio_codecs=${options.wideband ? 'G722' : 'PCMU,PCMA'}\n`,
  );
  const child = track(spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const waitFor = (pattern: RegExp, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (pattern.test(log)) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started > ms || child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`baresip never printed ${pattern}: ${log.slice(-800)}`));
        }
      }, 25);
    });
  return {
    sipPort,
    log: () => log,
    command: (command, params = '') => ctrlTcp(ctrlPort, command, params),
    waitFor,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function ctrlTcp(port: number, command: string, params: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const message = JSON.stringify({ command, params, token: 'test' });
    socket.on('connect', () => socket.write(`${message.length}:${message},`));
    let buffer = '';
    socket.on('data', (d: Buffer) => {
      buffer += d.toString();
      if (buffer.includes('"response"')) {
        socket.end();
        resolve(buffer);
      }
    });
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      resolve(buffer);
    }, 3000);
  });
}
