// Writes 16 kHz audio as a libpcap capture of G.722 RTP packets (20 ms each, payload type 9),
// for sipp's play_pcap_audio: sipp's own rtp_stream sends G.711 only, and end-to-end tests need a
// wideband caller for the offline recogniser to hear anything.
import { writeFileSync } from 'node:fs';
import { G722Encoder, serializeRtp } from '../../media/index.js';

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function writeG722Pcap(file: string, pcm16k: Int16Array): void {
  const encoder = new G722Encoder();
  const frame = 320;
  const parts: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // Ethernet
  parts.push(global);
  for (let n = 0, at = 0; at < pcm16k.length; n++, at += frame) {
    const samples = new Int16Array(frame);
    samples.set(pcm16k.subarray(at, at + frame));
    const payload = new Uint8Array(frame / 2);
    encoder.encode(samples, payload, 0, frame);
    const rtp = serializeRtp({
      marker: n === 0,
      payloadType: 9,
      sequenceNumber: n & 0xffff,
      timestamp: (n * 160) >>> 0,
      ssrc: 0x722,
      csrcs: [],
      extension: null,
      payload,
      paddingSize: 0,
    });
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6002, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + rtp.length, 2);
    ip.writeUInt16BE(n & 0xffff, 4);
    ip.writeUInt16BE(0x4000, 6);
    ip[8] = 64;
    ip[9] = 17;
    ip.set([127, 0, 0, 1], 12);
    ip.set([127, 0, 0, 1], 16);
    ip.writeUInt16BE(ipChecksum(ip), 10);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const body = Buffer.concat([eth, ip, udp, rtp]);
    const record = Buffer.alloc(16);
    const us = n * 20_000;
    record.writeUInt32LE(Math.floor(us / 1e6), 0);
    record.writeUInt32LE(us % 1e6, 4);
    record.writeUInt32LE(body.length, 8);
    record.writeUInt32LE(body.length, 12);
    parts.push(record, body);
  }
  writeFileSync(file, Buffer.concat(parts));
}
