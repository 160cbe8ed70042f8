// An RTP load generator for media benchmarks: many call legs, each sending real µ-law (20 ms
// packets, 50 per second, from a WAV) to a media server port, and measuring what comes back per
// leg: packets received, arrival gaps, and "late" packets — an arrival more than `lateMs`
// (default 40 ms, two packet times) after the previous packet of the same leg.
//
// Legs share a few sockets (the server tells legs apart by the port it sends from), and sending
// is spread over four phases 5 ms apart, as real calls are not in step.
// Run as a child process (BenchChild) or use the class directly.
import { createSocket, type Socket } from 'node:dgram';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { encodeUlaw, readWav, resample, wavToPcm16Mono } from '../../src/media/codecs/index.js';
import { writeRtpHeader } from '../../src/media/rtp/index.js';
import { serveRequests } from './child.js';

export interface LoadResult {
  legs: number;
  sent: number;
  received: number;
  /** Packets received in the measured window, and how many of them were late. */
  measured: number;
  late: number;
  lost: number;
  gapP50: number;
  gapP99: number;
  gapMax: number;
  cpuPercent: number;
  /** The generator's own worst event-loop stall while measuring: above lateMs it was the bottleneck. */
  generatorStallMs: number;
}

interface Leg {
  target: number;
  /** Its own packet buffer: dgram sends after the current tick, so one shared buffer would be overwritten. */
  packet: Buffer;
  socket: Socket;
  seq: number;
  ts: number;
  ssrc: number;
  sent: number;
  received: number;
  lastArrival: number;
}

export class RtpLoad {
  private sockets: Socket[] = [];
  private legs: Leg[] = [];
  private readonly byServerPort = new Map<number, Leg>();
  private audio: Uint8Array;
  private measuring = false;
  private measured = 0;
  private late = 0;
  private readonly gaps: number[] = [];

  constructor(
    wavPath = '/usr/share/asterisk/sounds/en/tt-monkeys.wav',
    private readonly lateMs = 40,
  ) {
    const wav = readWav(readFileSync(wavPath));
    const pcm = resample(wavToPcm16Mono(wav), wav.sampleRate, 8000);
    this.audio = new Uint8Array(pcm.length - (pcm.length % 160));
    encodeUlaw(pcm, this.audio, 0, this.audio.length);
  }

  /** Opens `count` sockets on loopback; returns their ports (the servers' remotes). */
  async open(count: number): Promise<number[]> {
    for (let i = 0; i < count; i++) {
      const socket = createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      socket.on('message', (msg, rinfo) => this.onPacket(rinfo.port));
      this.sockets.push(socket);
    }
    return this.sockets.map((s) => s.address().port);
  }

  private onPacket(fromPort: number): void {
    const leg = this.byServerPort.get(fromPort);
    if (!leg) return;
    const now = performance.now();
    leg.received++;
    if (this.measuring && leg.lastArrival > 0) {
      const gap = now - leg.lastArrival;
      this.measured++;
      if (gap > this.lateMs) this.late++;
      if (this.gaps.length < 2_000_000) this.gaps.push(gap);
    }
    leg.lastArrival = now;
  }

  /**
   * Sends to every `targets` port (leg i uses socket targetSockets[i]) for warmupMs + measureMs,
   * then waits for stragglers and reports.
   */
  async run(
    targets: number[],
    targetSockets: number[],
    warmupMs: number,
    measureMs: number,
  ): Promise<LoadResult> {
    this.legs = targets.map((target, i) => ({
      target,
      packet: Buffer.alloc(172),
      socket: this.sockets[targetSockets[i]! % this.sockets.length]!,
      seq: i * 7,
      ts: i * 1000,
      ssrc: 0x40000000 + i,
      sent: 0,
      received: 0,
      lastArrival: 0,
    }));
    this.byServerPort.clear();
    for (const leg of this.legs) this.byServerPort.set(leg.target, leg);
    this.measured = 0;
    this.late = 0;
    this.gaps.length = 0;
    const phases = 4;
    const start = performance.now();
    let tick = 0;
    let audioAt = 0;
    let cpuStart = process.cpuUsage();
    let measureStartedAt = 0;
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    await new Promise<void>((resolve) => {
      const step = (): void => {
        const phase = tick % phases;
        for (let i = phase; i < this.legs.length; i += phases) {
          const leg = this.legs[i]!;
          const packet = leg.packet;
          writeRtpHeader(packet, leg.sent === 0, 0, leg.seq, leg.ts, leg.ssrc);
          packet.set(this.audio.subarray(audioAt, audioAt + 160), 12);
          leg.seq = (leg.seq + 1) & 0xffff;
          leg.ts = (leg.ts + 160) >>> 0;
          leg.sent++;
          leg.socket.send(packet, leg.target, '127.0.0.1');
        }
        if (phase === phases - 1) audioAt = (audioAt + 160) % this.audio.length;
        tick++;
        const elapsed = performance.now() - start;
        if (!this.measuring && elapsed >= warmupMs && measureStartedAt === 0) {
          this.measuring = true;
          measureStartedAt = performance.now();
          cpuStart = process.cpuUsage();
          stalls.enable();
        }
        if (elapsed >= warmupMs + measureMs) return resolve();
        const due = start + (tick * 20) / phases;
        setTimeout(step, Math.max(0, due - performance.now()));
      };
      step();
    });
    const cpu = process.cpuUsage(cpuStart);
    const wall = performance.now() - measureStartedAt;
    stalls.disable();
    this.measuring = false;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = this.legs.reduce((n, l) => n + l.sent, 0);
    const received = this.legs.reduce((n, l) => n + l.received, 0);
    const sorted = Float64Array.from(this.gaps).sort();
    const pct = (p: number): number =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;
    return {
      legs: this.legs.length,
      sent,
      received,
      measured: this.measured,
      late: this.late,
      lost: Math.max(0, sent - received),
      gapP50: round(pct(0.5)),
      gapP99: round(pct(0.99)),
      gapMax: round(sorted.length ? sorted[sorted.length - 1]! : 0),
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / wall) * 100),
      generatorStallMs: round(stalls.max / 1e6),
    };
  }

  close(): void {
    for (const s of this.sockets) s.close();
    this.sockets = [];
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

if (process.send && process.argv[1]?.endsWith('rtp-load.ts')) {
  const load = new RtpLoad();
  serveRequests(async (command) => {
    if (command.cmd === 'open') return load.open(command.sockets as number);
    if (command.cmd === 'run')
      return load.run(
        command.targets as number[],
        command.targetSockets as number[],
        command.warmupMs as number,
        command.measureMs as number,
      );
    load.close();
    return null;
  });
}
