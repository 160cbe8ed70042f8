import { describe, expect, it } from 'vitest';
import { RtpParseError } from './errors.js';
import { isRtcp, parseRtcp, serializeRtcp, type RtcpPacket } from './rtcp.js';

// A compound SR + SDES(CNAME) + BYE datagram laid out by hand from RFC 3550 §6.4.1, 6.5, 6.6.
const COMPOUND_HEX = [
  // SR, RC=1, length 12 words
  '81c8000c',
  '11223344', // sender SSRC
  'e8b1a2c3',
  '40000000', // NTP seconds, fraction (0.25)
  '00012340', // RTP timestamp
  '00000064', // packet count 100
  '00003e80', // octet count 16000
  // report block
  '55667788', // source SSRC
  '19fffffe', // fraction 25/256, cumulative -2
  '0001000a', // extended highest sequence
  '00000020', // jitter
  'a2c34000', // LSR
  '00008000', // DLSR 0.5 s
  // SDES, SC=1, length 6 words: chunk SSRC, CNAME "hotline@127.0.0.1" (17 bytes), end, pad
  '81ca0006',
  '11223344',
  '0111' + Buffer.from('hotline@127.0.0.1').toString('hex') + '00',
  // BYE, SC=1, reason "hangup" (6 bytes), length 3 words
  '81cb0003',
  '11223344',
  '0668616e67757000',
].join('');

describe('RTCP compound packets', () => {
  it('parses an SR with a report block, an SDES CNAME and a BYE with a reason', () => {
    const bytes = Buffer.from(COMPOUND_HEX, 'hex');
    const packets = parseRtcp(bytes);
    expect(packets.map((p) => p.type)).toEqual(['sr', 'sdes', 'bye']);
    const sr = packets[0] as Extract<RtcpPacket, { type: 'sr' }>;
    expect(sr).toMatchObject({
      ssrc: 0x11223344,
      ntpSeconds: 0xe8b1a2c3,
      ntpFraction: 0x40000000,
      rtpTimestamp: 0x12340,
      packetCount: 100,
      octetCount: 16000,
    });
    expect(sr.reports).toEqual([
      {
        ssrc: 0x55667788,
        fractionLost: 25,
        cumulativeLost: -2,
        extendedHighestSequence: 0x1000a,
        jitter: 32,
        lastSr: 0xa2c34000,
        delaySinceLastSr: 0x8000,
      },
    ]);
    expect(packets[1]).toEqual({
      type: 'sdes',
      chunks: [{ ssrc: 0x11223344, items: [{ type: 1, text: 'hotline@127.0.0.1' }] }],
    });
    expect(packets[2]).toEqual({ type: 'bye', ssrcs: [0x11223344], reason: 'hangup' });
  });

  it('serialises the parsed packets back to the same bytes', () => {
    const bytes = Buffer.from(COMPOUND_HEX, 'hex');
    expect(serializeRtcp(parseRtcp(bytes)).toString('hex')).toBe(COMPOUND_HEX);
  });

  it('round-trips a receiver report, an unknown packet type and packet padding', () => {
    const packets: RtcpPacket[] = [
      { type: 'rr', ssrc: 7, reports: [], extension: new Uint8Array(0) },
      {
        type: 'unknown',
        packetType: 204,
        count: 3,
        body: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
        paddingSize: 4,
      },
      {
        type: 'sdes',
        chunks: [
          {
            ssrc: 9,
            items: [
              { type: 1, text: 'abc' },
              { type: 2, text: 'Hotline' },
            ],
          },
        ],
      },
      { type: 'bye', ssrcs: [1, 2] },
    ];
    const bytes = serializeRtcp(packets);
    expect(isRtcp(bytes)).toBe(true);
    const parsed = parseRtcp(bytes);
    expect(parsed.map((p) => p.type)).toEqual(['rr', 'unknown', 'sdes', 'bye']);
    expect(parsed[1]).toMatchObject({ packetType: 204, count: 3, paddingSize: 4 });
    expect(parsed[2]).toEqual(packets[2]);
    expect(parsed[3]).toEqual(packets[3]);
    expect(serializeRtcp(parsed).equals(bytes)).toBe(true);
  });

  it('rejects a packet whose length runs past the datagram', () => {
    const bytes = Buffer.from('81c9000700000001', 'hex');
    expect(() => parseRtcp(bytes)).toThrow(RtpParseError);
    expect(() => parseRtcp(Buffer.from('81c9000100000001', 'hex'))).toThrow(/too short/);
  });
});
