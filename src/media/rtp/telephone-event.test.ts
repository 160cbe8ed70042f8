import { describe, expect, it } from 'vitest';
import { parseRtp, serializeRtp } from './rtp-packet.js';
import { dtmfDigitOf, dtmfEventOf, parseTelephoneEvent, serializeTelephoneEvent } from './telephone-event.js';
import { readPcapUdp } from './testing/pcap.js';

const KEYS: [string, string][] = [
  ...'0123456789'.split('').map((d): [string, string] => [d, d]),
  ['star', '*'],
  ['pound', '#'],
];

describe('RFC 4733 telephone events', () => {
  it.each(KEYS)(
    "parses sipp's dtmf_2833_%s capture as one key press that ends with the end bit",
    (file, digit) => {
      const packets = readPcapUdp(`/usr/share/sip-tester/dtmf_2833_${file}.pcap`).map((d) =>
        parseRtp(d.payload),
      );
      expect(packets.length).toBeGreaterThan(3);
      const events = packets.map((p) => parseTelephoneEvent(p.payload));
      expect(packets.every((p) => p.payloadType === 101)).toBe(true);
      expect(new Set(events.map((e) => dtmfDigitOf(e.event)))).toEqual(new Set([digit]));
      // One event: every packet carries the same RTP timestamp, the duration only grows.
      expect(new Set(packets.map((p) => p.timestamp)).size).toBe(1);
      for (let i = 1; i < events.length; i++)
        expect(events[i]!.duration).toBeGreaterThanOrEqual(events[i - 1]!.duration);
      expect(events.at(-1)!.end).toBe(true);
      expect(events[0]!.end).toBe(false);
    },
  );

  it('round-trips every captured telephone-event packet byte for byte', () => {
    for (const [file] of KEYS) {
      for (const d of readPcapUdp(`/usr/share/sip-tester/dtmf_2833_${file}.pcap`)) {
        const packet = parseRtp(d.payload);
        const event = parseTelephoneEvent(packet.payload);
        const rebuilt = serializeRtp({ ...packet, payload: serializeTelephoneEvent(event) });
        expect(rebuilt.equals(d.payload)).toBe(true);
      }
    }
  });

  it('maps keys to events and back, and rejects what is not a key', () => {
    expect('0123456789*#ABCD'.split('').map(dtmfEventOf)).toEqual([...Array(16).keys()]);
    expect(dtmfEventOf('x')).toBe(-1);
    expect(dtmfDigitOf(16)).toBeNull();
    expect(() => parseTelephoneEvent(Uint8Array.from([1, 2]))).toThrow(/telephone-event of 2 bytes/);
  });
});
