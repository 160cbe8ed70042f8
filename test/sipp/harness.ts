// The SIP layer's test server and sipp runs: a SipServer with a tiny stand-in for the channel
// core, sipp (built-in scenarios and our XML ones in this folder), and a wait for the server's
// registries to empty. Raw peers are in raw-peer.ts, the baresip phone in baresip.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort, freeUdpPort } from '../helpers/ports.js';
import {
  createSipServer,
  type InboundSipCall,
  type SipCallEnd,
  type SipServer,
  type SipServerCounts,
} from '../../src/media/sip/index.js';
import type { SipServerOptions } from '../../src/media/sip/options.js';
import { freeUdpRange, track, workDir } from './processes.js';

export * from './raw-peer.js';
export * from './baresip.js';
export { freeUdpRange, workDir };

const errorFile = (port: number) => path.join(workDir, `sipp-${port}-errors.log`);

export const scenarioDir = path.dirname(fileURLToPath(import.meta.url));

/** Short RFC 3261 timers so a test sees Timer H / L (64·T1) in about a second. */
export const TEST_T1 = 20;

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
    // Free for TCP too: with -t t1 sipp binds its TCP socket to this port.
    const local = options.localPort ?? (await freeSipPort());
    const control = await freeUdpPort();
    const all = [
      ...(options.remotePort ? [`127.0.0.1:${options.remotePort}`] : []),
      ...['-i', '127.0.0.1', '-p', String(local), '-mp', String(media), '-cp', String(control)],
      ...['-nostdin', '-timeout', `${options.timeoutSeconds ?? 20}s`, '-timeout_error', '-trace_err'],
      ...['-error_file', errorFile(local)],
      ...options.args,
    ];
    if (killed) return { code: null, output: 'killed before start' };
    const started = spawn('sipp', all, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = track(started);
    let output = '';
    started.stdout.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr.on('data', (d: Buffer) => (output += d.toString()));
    return new Promise<SippResult>((resolve) =>
      started.on('exit', (code) => {
        // A failed run says why in its error file: put that first, where an assertion shows it.
        const errors =
          code === 0 || !existsSync(errorFile(local))
            ? ''
            : readFileSync(errorFile(local), 'latin1').slice(0, 2000);
        resolve({ code, output: `${errors}\n${output.slice(-2000)}` });
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
