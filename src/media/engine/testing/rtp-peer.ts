// A real RTP peer on a loopback UDP socket for engine tests: sends 20 ms packets of real audio
// (µ-law, A-law or G.722 from PCM) and keeps what it receives, parsed.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import {
  createDecoder,
  createEncoder,
  readWav,
  resample,
  wavToPcm16Mono,
  type CodecName,
} from '../../codecs/index.js';
import { parseRtp, parseRtcp, serializeRtp, type RtcpPacket, type RtpPacket } from '../../rtp/index.js';

export interface ReceivedPacket extends RtpPacket {
  at: number;
  from: { address: string; port: number };
}

export function loadPcm(file: string, rate: number): Int16Array {
  const wav = readWav(readFileSync(file));
  return resample(wavToPcm16Mono(wav), wav.sampleRate, rate);
}

export class RtpPeer {
  readonly received: ReceivedPacket[] = [];
  readonly rtcp: RtcpPacket[][] = [];
  ssrc = 0x10000000 + Math.floor(Math.random() * 0x0fffffff);
  seq = 1000;
  ts = 5000;

  private constructor(
    readonly socket: Socket,
    readonly rtcpSocket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      try {
        this.received.push({
          ...parseRtp(msg),
          at: performance.now(),
          from: { address: rinfo.address, port: rinfo.port },
        });
      } catch {
        // not RTP: ignore
      }
    });
    rtcpSocket.on('message', (msg) => {
      try {
        this.rtcp.push(parseRtcp(msg));
      } catch {
        // not RTCP
      }
    });
  }

  /** A peer on an even loopback port with RTCP on the next one. */
  static async open(): Promise<RtpPeer> {
    for (;;) {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const port = socket.address().port;
      const rtcp = createSocket('udp4');
      const ok = await new Promise<boolean>((resolve) => {
        rtcp.once('error', () => resolve(false));
        rtcp.bind(port + 1, '127.0.0.1', () => resolve(true));
      });
      if (ok) return new RtpPeer(socket, rtcp, port);
      socket.close();
      rtcp.close();
    }
  }

  /** Sends one RTP packet with the next sequence number. */
  send(
    to: number,
    payloadType: number,
    payload: Uint8Array,
    options: { marker?: boolean; advance?: number; timestamp?: number } = {},
  ): void {
    const packet = serializeRtp({
      marker: options.marker ?? false,
      payloadType,
      sequenceNumber: this.seq,
      timestamp: options.timestamp ?? this.ts,
      ssrc: this.ssrc,
      csrcs: [],
      extension: null,
      payload,
      paddingSize: 0,
    });
    this.seq = (this.seq + 1) & 0xffff;
    if (options.timestamp === undefined) this.ts = (this.ts + (options.advance ?? 160)) >>> 0;
    this.socket.send(packet, to, '127.0.0.1');
  }

  /** Encodes `pcm` and sends it in 20 ms packets, paced in real time; resolves when done. */
  async stream(
    to: number,
    pcm: Int16Array,
    options: { codec?: CodecName; payloadType?: number; rate?: number; intervalMs?: number } = {},
  ): Promise<Uint8Array[]> {
    const codec = options.codec ?? 'PCMU';
    const rate = options.rate ?? (codec === 'G722' ? 16000 : 8000);
    const encoder = createEncoder(codec, rate);
    const frame = (rate * 20) / 1000;
    const payloads: Uint8Array[] = [];
    const start = performance.now();
    for (let at = 0, n = 0; at + frame <= pcm.length; at += frame, n++) {
      const out = new Uint8Array(frame * 2);
      const bytes = encoder.encode(pcm.subarray(at, at + frame), out, 0, frame);
      payloads.push(out.subarray(0, bytes));
      this.send(
        to,
        options.payloadType ?? (codec === 'PCMA' ? 8 : codec === 'G722' ? 9 : 0),
        out.subarray(0, bytes),
      );
      const due = start + (n + 1) * (options.intervalMs ?? 20);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    return payloads;
  }

  /** The audio received with payload type `pt`, decoded in sequence order. */
  decoded(
    codec: CodecName = 'PCMU',
    pt = codec === 'PCMA' ? 8 : codec === 'G722' ? 9 : 0,
    rate?: number,
  ): Int16Array {
    const decoder = createDecoder(codec, rate ?? (codec === 'G722' ? 16000 : 8000));
    const packets = this.received
      .filter((p) => p.payloadType === pt)
      .sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    const out = new Int16Array(packets.reduce((n, p) => n + p.payload.length * 2, 0));
    let at = 0;
    const scratch = new Int16Array(2048);
    for (const p of packets) {
      const n = decoder.decode(p.payload, 0, p.payload.length, scratch);
      out.set(scratch.subarray(0, n), at);
      at += n;
    }
    return out.subarray(0, at);
  }

  /** Resolves once `count` packets (matching `filter`) have arrived. */
  async waitFor(
    count: number,
    filter: (p: ReceivedPacket) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ReceivedPacket[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const matching = this.received.filter(filter);
      if (matching.length >= count) return matching;
      if (performance.now() > deadline)
        throw new Error(`waited for ${count} packets, got ${matching.length} (of ${this.received.length})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.close();
    this.rtcpSocket.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
