import { describe, expect, it } from 'vitest';
import { RtpParseError } from './errors.js';
import {
  isRtp,
  parseRtp,
  rtpPayloadEnd,
  rtpPayloadOffset,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  serializeRtp,
  writeRtpHeader,
} from './rtp-packet.js';
import { readPcapUdp } from './testing/pcap.js';

const G711A_PCAP = '/usr/share/sip-tester/g711a.pcap';

describe('RTP packets', () => {
  it('round-trips every packet of a real G.711 A-law capture byte for byte', () => {
    const datagrams = readPcapUdp(G711A_PCAP);
    expect(datagrams.length).toBeGreaterThan(100);
    for (const d of datagrams) {
      const packet = parseRtp(d.payload);
      expect(packet.payloadType).toBe(8);
      expect(packet.payload.length).toBe(240);
      expect(serializeRtp(packet).equals(d.payload)).toBe(true);
    }
  });

  it('reads consecutive sequence numbers and timestamps advancing by the 30 ms payload (240 samples)', () => {
    const packets = readPcapUdp(G711A_PCAP).map((d) => parseRtp(d.payload));
    for (let i = 1; i < 20; i++) {
      expect(packets[i]!.sequenceNumber).toBe((packets[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect(packets[i]!.timestamp).toBe((packets[i - 1]!.timestamp + 240) >>> 0);
      expect(packets[i]!.ssrc).toBe(packets[0]!.ssrc);
    }
  });

  it('round-trips CSRCs, a header extension and padding', () => {
    const original = {
      marker: true,
      payloadType: 0,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      csrcs: [1, 0x80000000],
      extension: { profile: 0xbede, data: Uint8Array.from([0x10, 0xaa, 0, 0]) },
      payload: Uint8Array.from([1, 2, 3, 4, 5]),
      paddingSize: 3,
    };
    const bytes = serializeRtp(original);
    expect(bytes.length).toBe(12 + 8 + 8 + 5 + 3);
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    const parsed = parseRtp(bytes);
    expect({
      ...parsed,
      payload: [...parsed.payload],
      extension: { ...parsed.extension, data: [...parsed.extension!.data] },
    }).toEqual({
      ...original,
      payload: [1, 2, 3, 4, 5],
      extension: { profile: 0xbede, data: [0x10, 0xaa, 0, 0] },
    });
    expect(serializeRtp(parsed).equals(bytes)).toBe(true);
    expect(rtpPayloadOffset(bytes)).toBe(28);
    expect(rtpPayloadEnd(bytes)).toBe(33);
  });

  it('rejects short packets, a wrong version and lengths that run past the packet', () => {
    const code = (bytes: number[]): string => {
      try {
        parseRtp(Uint8Array.from(bytes));
        return 'parsed';
      } catch (err) {
        return (err as RtpParseError).code;
      }
    };
    expect(code([0x80, 0, 0])).toBe('RTP_TOO_SHORT');
    expect(code([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('RTP_BAD_VERSION');
    expect(code([0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4])).toBe('RTP_BAD_LENGTH');
    expect(code([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9])).toBe('RTP_BAD_LENGTH');
    expect(code([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])).toBe('RTP_BAD_LENGTH');
  });

  it('the allocation-free accessors and header writer agree with the parser', () => {
    const out = Buffer.alloc(12 + 160);
    writeRtpHeader(out, false, 0, 40000, 0x89abcdef, 0x01020304);
    expect(isRtp(out)).toBe(true);
    const parsed = parseRtp(out);
    expect([rtpSequence(out), rtpTimestamp(out), rtpSsrc(out)]).toEqual([
      parsed.sequenceNumber,
      parsed.timestamp,
      parsed.ssrc,
    ]);
    expect(parsed.sequenceNumber).toBe(40000);
    expect(parsed.timestamp).toBe(0x89abcdef);
  });

  it('tells RTCP apart from RTP on a shared port', () => {
    const rtcpRr = Uint8Array.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
    expect(isRtp(Uint8Array.from([...rtcpRr, 0, 0, 0, 0]))).toBe(false);
  });
});
