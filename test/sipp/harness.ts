// Real peers for the SIP layer's tests: a SipServer with a tiny stand-in for the channel core,
// sipp runs (built-in and our XML scenarios in this folder), a baresip phone, raw UDP/TCP
// senders, and a wait for the server's registries to empty.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort, freeTcpPort, freeUdpPort } from '../helpers/ports.js';
import {
  createSipServer,
  type InboundSipCall,
  type SipCallEnd,
  type SipServer,
  type SipServerCounts,
} from '../../src/media/sip/index.js';
import type { SipServerOptions } from '../../src/media/sip/options.js';

export const scenarioDir = path.dirname(fileURLToPath(import.meta.url));
export const workDir = mkdtempSync(path.join(tmpdir(), 'hotline-sip-test-'));

/** Short RFC 3261 timers so a test sees Timer H / L (64·T1) in about a second. */
export const TEST_T1 = 20;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface TestServer {
  server: SipServer;
  port: number;
  /** The UDP socket standing in for the media engine's RTP port. */
  rtp: Socket;
  rtpPort: number;
  calls: InboundSipCall[];
  /** How each call ended (listened to from the moment it arrived). */
  endOf(call: InboundSipCall): Promise<SipCallEnd>;
  stop(): Promise<void>;
}

export interface TestServerOptions extends SipServerOptions {
  /** Numbers the stand-in core answers; others get 404. */
  numbers?: string[];
  /** What the stand-in core does with a call to a known number. Default: ring, then answer. */
  onCall?: (call: InboundSipCall, rtp: { address: string; port: number }) => void;
}

/** A SipServer on free ports, with a handler acting as the channel core. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const port = await freeSipPort();
  const rtp = createSocket('udp4');
  await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
  const local = { address: '127.0.0.1', port: rtp.address().port };
  const server = createSipServer({
    bindAddress: '127.0.0.1',
    udpPort: port,
    tcpPort: port,
    timers: { t1: TEST_T1 },
    ...options,
  });
  const numbers = new Set(options.numbers ?? ['1000']);
  const calls: InboundSipCall[] = [];
  const ends = new WeakMap<InboundSipCall, Promise<SipCallEnd>>();
  server.onIncomingCall((call) => {
    calls.push(call);
    ends.set(call, new Promise((resolve) => call.once('ended', resolve)));
    if (!numbers.has(call.dialled)) {
      call.reject(404);
      return;
    }
    if (options.onCall) {
      options.onCall(call, local);
      return;
    }
    call.ring();
    call.answer(local).catch(() => {});
  });
  await server.start();
  return {
    server,
    port,
    rtp,
    rtpPort: local.port,
    calls,
    endOf: (call) => ends.get(call) ?? Promise.reject(new Error('not a call of this server')),
    stop: async () => {
      await server.stop();
      await new Promise<void>((resolve) => rtp.close(() => resolve()));
    },
  };
}

const ZERO: SipServerCounts = { transactions: 0, dialogs: 0, registrations: 0, tcpConnections: 0 };

/** Waits until every registry is empty (64·T1 after the last message at most), returns the counts. */
export async function waitForIdle(server: SipServer, ms = 8000): Promise<SipServerCounts> {
  const until = Date.now() + ms;
  for (;;) {
    const counts = server.counts();
    if (JSON.stringify(counts) === JSON.stringify(ZERO) || Date.now() > until) return counts;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export { ZERO as IDLE };

async function udpPortsFree(first: number, count: number): Promise<boolean> {
  for (let p = first; p < first + count; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (!ok) return false;
  }
  return true;
}

/** A base port with the next `count` UDP ports free too (sipp's media uses port and port+2). */
export async function freeUdpRange(count: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const base = await freeUdpPort();
    if (base + count < 65535 && (await udpPortsFree(base, count))) return base;
  }
  throw new Error(`no ${count} consecutive free UDP ports`);
}

export interface SippResult {
  code: number | null;
  output: string;
}

/** Runs sipp against the server (127.0.0.1:port) with free local ports; resolves when it exits. */
export function runSipp(port: number, args: string[], timeoutSeconds = 20): Promise<SippResult> {
  return startSipp({ remotePort: port, args, timeoutSeconds }).done;
}

export interface SippRun {
  done: Promise<SippResult>;
  kill(): void;
}

/**
 * Starts sipp: a caller when `remotePort` is given, else a far end listening on `localPort`.
 * Media and control ports are free ones.
 */
export function startSipp(options: {
  remotePort?: number;
  localPort?: number;
  args: string[];
  timeoutSeconds?: number;
}): SippRun {
  let child: ChildProcess | null = null;
  let killed = false;
  const done = (async () => {
    const media = await freeUdpRange(4);
    const local = options.localPort ?? (await freeUdpPort());
    const control = await freeUdpPort();
    const all = [
      ...(options.remotePort ? [`127.0.0.1:${options.remotePort}`] : []),
      ...['-i', '127.0.0.1', '-p', String(local), '-mp', String(media), '-cp', String(control)],
      ...['-nostdin', '-timeout', `${options.timeoutSeconds ?? 20}s`, '-timeout_error', '-trace_err'],
      ...['-error_file', path.join(workDir, `sipp-${local}-errors.log`)],
      ...options.args,
    ];
    if (killed) return { code: null, output: 'killed before start' };
    const started = spawn('sipp', all, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    children.add(started);
    let output = '';
    started.stdout.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr.on('data', (d: Buffer) => (output += d.toString()));
    return new Promise<SippResult>((resolve) =>
      started.on('exit', (code) => {
        children.delete(started);
        resolve({ code, output: output.slice(-3000) });
      }),
    );
  })();
  return {
    done,
    kill: () => {
      killed = true;
      child?.kill('SIGKILL');
    },
  };
}

export const scenario = (name: string) => path.join(scenarioDir, name);

/** Sends one datagram from a fresh socket and collects what comes back for `waitMs`. */
export async function udpExchange(port: number, data: Buffer | string, waitMs = 300): Promise<string[]> {
  const socket = createSocket('udp4');
  const replies: string[] = [];
  socket.on('message', (msg) => replies.push(msg.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, '127.0.0.1');
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return replies;
}

/** Sends bytes on a fresh TCP connection, collects what comes back for `waitMs`, then closes. */
export async function tcpExchange(port: number, data: Buffer | string, waitMs = 300): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 500);
  });
  return received;
}

/** Status codes of the responses in a byte stream or a list of datagrams. */
export function statuses(replies: string | string[]): number[] {
  const text = Array.isArray(replies) ? replies.join('') : replies;
  return [...text.matchAll(/(?:^|\r\n\r\n|\r\n(?=SIP\/2\.0))SIP\/2\.0 (\d{3})/g)].map((m) => Number(m[1]));
}

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

/** A headless baresip phone registering as `user` with our server; it answers calls by itself. */
export async function startBaresip(options: {
  user: string;
  password: string;
  registrarPort: number;
  regint?: number;
}): Promise<Baresip> {
  const dir = mkdtempSync(path.join(workDir, `baresip-${options.user}-`));
  mkdirSync(dir, { recursive: true });
  let sipPort = await freeSipPort();
  // baresip's TLS listener takes the SIP port + 1.
  for (let i = 0; i < 20 && !(await tcpPortFree(sipPort + 1)); i++) sipPort = await freeSipPort();
  const ctrlPort = await freeTcpPort();
  const rtpBase = await freeUdpRange(20);
  const wav = path.join(dir, 'tone.wav');
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
    '60',
    'sine',
    '440',
    'vol',
    '0.2',
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
      'audio_srate 8000',
      'audio_channels 1',
      `rtp_ports ${rtpBase}-${rtpBase + 19}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
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
    `<sip:${options.user}@127.0.0.1:${options.registrarPort};transport=udp>;auth_pass=${options.password};answermode=auto;regint=${options.regint ?? 600};audio_codecs=PCMU,PCMA\n`,
  );
  const child = spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
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
          children.delete(child);
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

export interface RequestSpec {
  method: string;
  /** Request-URI; default sip:<user>@127.0.0.1:<serverPort>. */
  uri?: string;
  user?: string;
  serverPort: number;
  /** The sending peer's port (for Via and Contact). */
  port: number;
  transport?: 'UDP' | 'TCP';
  callId: string;
  branch: string;
  cseq: number;
  cseqMethod?: string;
  fromUser?: string;
  fromTag?: string;
  toTag?: string;
  body?: string;
  contentType?: string;
  headers?: string[];
}

/** A SIP request as a plain UDP/TCP peer would write it. */
export function sipRequest(spec: RequestSpec): string {
  const user = spec.user ?? '1000';
  const uri = spec.uri ?? `sip:${user}@127.0.0.1:${spec.serverPort}`;
  const transport = spec.transport ?? 'UDP';
  const body = spec.body ?? '';
  const lines = [
    `${spec.method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${spec.port};branch=${spec.branch};rport`,
    `From: "Raw Peer" <sip:${spec.fromUser ?? 'raw'}@127.0.0.1:${spec.port}>;tag=${spec.fromTag ?? 'rawtag'}`,
    `To: <sip:${user}@127.0.0.1:${spec.serverPort}>${spec.toTag ? `;tag=${spec.toTag}` : ''}`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${spec.cseqMethod ?? spec.method}`,
    `Contact: <sip:raw@127.0.0.1:${spec.port}${transport === 'TCP' ? ';transport=tcp' : ''}>`,
    'Max-Forwards: 70',
    ...(spec.headers ?? []),
    ...(body ? [`Content-Type: ${spec.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body, 'latin1')}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

export function offerSdp(port: number, formats = '0 8 101', direction = 'sendrecv', version = 1): string {
  const maps: Record<string, string> = {
    '0': 'a=rtpmap:0 PCMU/8000',
    '8': 'a=rtpmap:8 PCMA/8000',
    '9': 'a=rtpmap:9 G722/8000',
    '18': 'a=rtpmap:18 G729/8000',
    '101': 'a=rtpmap:101 telephone-event/8000',
  };
  return [
    'v=0',
    `o=raw 1 ${version} IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${formats}`,
    ...formats.split(' ').map((f) => maps[f] ?? ''),
    `a=${direction}`,
    '',
  ]
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join('\r\n');
}

/** A hand-driven SIP peer on a UDP socket: sends text, waits for what it expects. */
export class RawUdpPeer {
  private readonly received: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly serverPort: number,
  ) {
    socket.on('message', (msg) => {
      this.received.push(msg.toString('latin1'));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(serverPort: number): Promise<RawUdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RawUdpPeer(socket, socket.address().port, serverPort);
  }

  send(text: string): void {
    this.socket.send(Buffer.from(text, 'latin1'), this.serverPort, '127.0.0.1');
  }

  /** Every message received so far. */
  get messages(): readonly string[] {
    return this.received;
  }

  /** Takes the first received message matching `pattern` (waiting up to `ms`). */
  async next(pattern: RegExp, ms = 3000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const index = this.received.findIndex((m) => pattern.test(m));
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      const left = until - Date.now();
      if (left <= 0)
        throw new Error(
          `no message matching ${pattern} within ${ms} ms; got:\n${this.received.map((m) => m.split('\r\n')[0]).join('\n')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** The value of a header in a message's text. */
export function header(message: string, name: string): string | undefined {
  return new RegExp(`\\r\\n${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(message)?.[1];
}

export function toTagOf(message: string): string | undefined {
  return /;tag=([^;\s>]+)/.exec(header(message, 'To') ?? '')?.[1];
}
