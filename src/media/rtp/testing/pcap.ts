// Reads UDP datagrams out of a libpcap capture (for tests that round-trip captured RTP).
// Ethernet, Linux cooked (SLL) and raw IPv4 link types; IPv4 only.
import { readFileSync } from 'node:fs';

export interface CapturedDatagram {
  timeUs: number;
  source: string;
  sourcePort: number;
  destination: string;
  destinationPort: number;
  payload: Buffer;
}

const LINK_ETHERNET = 1;
const LINK_RAW = 101;
const LINK_SLL = 113;
const LINK_IPV4 = 228;

export function readPcapUdp(path: string): CapturedDatagram[] {
  const file = readFileSync(path);
  const magic = file.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d)
    throw new Error(`${path}: not a pcap file`);
  const nanos = (little ? magic : file.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const linkType = u32(20);
  const out: CapturedDatagram[] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const seconds = u32(at);
    const fraction = u32(at + 4);
    const captured = u32(at + 8);
    const frame = file.subarray(at + 16, at + 16 + captured);
    at += 16 + captured;
    const ipAt =
      linkType === LINK_ETHERNET
        ? 14
        : linkType === LINK_SLL
          ? 16
          : linkType === LINK_RAW || linkType === LINK_IPV4
            ? 0
            : -1;
    if (ipAt < 0) throw new Error(`${path}: link type ${linkType} not supported`);
    if (linkType === LINK_ETHERNET && frame.readUInt16BE(12) !== 0x0800) continue;
    const ip = frame.subarray(ipAt);
    if (ip[0]! >> 4 !== 4 || ip[9] !== 17) continue;
    const ihl = (ip[0]! & 0x0f) * 4;
    const udp = ip.subarray(ihl);
    const udpLength = udp.readUInt16BE(4);
    out.push({
      timeUs: seconds * 1e6 + (nanos ? Math.floor(fraction / 1000) : fraction),
      source: `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`,
      destination: `${ip[16]}.${ip[17]}.${ip[18]}.${ip[19]}`,
      sourcePort: udp.readUInt16BE(0),
      destinationPort: udp.readUInt16BE(2),
      payload: Buffer.from(udp.subarray(8, udpLength)),
    });
  }
  return out;
}
