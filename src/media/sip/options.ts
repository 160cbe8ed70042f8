// createSipServer's options, their defaults, and the one process-wide setting: sip.js keeps its
// transaction timers in a module-level object (`Timers`), so every SipServer in a process shares
// T1/T2/T4. Starting a second server with different timers is refused rather than silently
// changing the first one's.
import os from 'node:os';
import type { Logger } from 'pino';
import { Timers } from 'sip.js/lib/core/index.js';
import { silentLogger } from '../../logger.js';
import type { Codec } from './contract.js';
import { sipConfigSchema, type SipConfig } from './config.js';
import type { RegistrarLimits } from './registrar.js';
import type { TcpLimits } from './transport/tcp.js';
import type { SipTimers } from './transport/retransmit.js';
import type { z } from 'zod';

export interface SipServerOptions {
  /** Address the UDP and TCP listeners bind to. Default 127.0.0.1. */
  bindAddress?: string;
  /** Address written into Via, Contact and SDP-facing headers. Default: bindAddress, or the first external IPv4 when binding 0.0.0.0. */
  publicAddress?: string;
  /** UDP port; 0 picks a free one. Default 5060. */
  udpPort?: number;
  /** TCP port; 0 picks a free one. Default 5060. */
  tcpPort?: number;
  /** The endpoints and trunks (config/sip.yaml); validated here with sipConfigSchema. */
  sip?: z.input<typeof sipConfigSchema>;
  /** Codec preference when an offer leaves a choice (endpoints and trunks may override it). */
  codecs?: Codec[];
  /** Digest realm. Default "hotline". */
  realm?: string;
  /** RFC 3261 timers in ms (T1 500, T2 4000, T4 5000); tests shorten them. */
  timers?: Partial<SipTimers>;
  registrar?: Partial<RegistrarLimits>;
  /** How long a digest nonce stays valid, ms. Default 300 000. */
  nonceLifetimeMs?: number;
  tcp?: Partial<TcpLimits>;
  log?: Logger;
}

export interface ResolvedOptions {
  bindAddress: string;
  publicAddress: string;
  udpPort: number;
  tcpPort: number;
  sip: SipConfig;
  codecs: Codec[];
  realm: string;
  timers: SipTimers;
  registrar: RegistrarLimits;
  nonceLifetimeMs: number;
  tcp: TcpLimits;
  log: Logger;
}

/** The SIP configuration is invalid; `problems` name each field (`trunks.0.host: ...`). */
export class SipConfigError extends Error {
  readonly code = 'SIP_CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid SIP configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SipConfigError';
  }
}

/** Validates the endpoints/trunks part of the SIP configuration file, naming bad fields by path. */
export function parseSipConfig(raw: unknown): SipConfig {
  const parsed = sipConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new SipConfigError(
    parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
  );
}

export const DEFAULT_CODECS: Codec[] = ['G722', 'PCMU', 'PCMA', 'L16'];

function externalAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const net of list ?? []) if (net.family === 'IPv4' && !net.internal) return net.address;
  }
  return '127.0.0.1';
}

export function resolveOptions(options: SipServerOptions): ResolvedOptions {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const wildcard = bindAddress === '0.0.0.0' || bindAddress === '::';
  const t1 = options.timers?.t1 ?? 500;
  return {
    bindAddress,
    publicAddress: options.publicAddress ?? (wildcard ? externalAddress() : bindAddress),
    udpPort: options.udpPort ?? 5060,
    tcpPort: options.tcpPort ?? 5060,
    sip: parseSipConfig(options.sip),
    codecs: options.codecs?.length ? options.codecs : DEFAULT_CODECS,
    realm: options.realm ?? 'hotline',
    timers: { t1, t2: options.timers?.t2 ?? Math.max(t1, 4000), t4: options.timers?.t4 ?? 5000 },
    registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600, ...options.registrar },
    nonceLifetimeMs: options.nonceLifetimeMs ?? 300_000,
    tcp: {
      maxConnections: 1024,
      maxMessageBytes: 65_535,
      idleTimeoutMs: 300_000,
      connectTimeoutMs: 5_000,
      maxQueuedBytes: 1 << 20,
      ...options.tcp,
    },
    log: options.log ?? silentLogger,
  };
}

let shared: { timers: SipTimers; users: number } | null = null;

/** Sets sip.js's timers for this process; refuses a second, different set while one is in use. */
export function claimTimers(timers: SipTimers): () => void {
  if (
    shared &&
    (shared.timers.t1 !== timers.t1 || shared.timers.t2 !== timers.t2 || shared.timers.t4 !== timers.t4)
  ) {
    throw new Error(
      `sip.js timers are process-wide: a SipServer with T1=${shared.timers.t1} ms is running, cannot start one with T1=${timers.t1} ms`,
    );
  }
  if (!shared) {
    const long = 64 * timers.t1;
    // Our UDP layer (transport/retransmit.ts) absorbs retransmissions, so sip.js's own
    // absorb timers stay at the reliable-transport values (D, I, J, K = 0).
    Object.assign(Timers, {
      T1: timers.t1,
      T2: timers.t2,
      T4: timers.t4,
      TIMER_B: long,
      TIMER_F: long,
      TIMER_H: long,
      TIMER_L: long,
      TIMER_M: long,
      TIMER_N: long,
    });
    shared = { timers, users: 0 };
  }
  shared.users++;
  let released = false;
  return () => {
    if (released || !shared) return;
    released = true;
    if (--shared.users === 0) shared = null;
  };
}
