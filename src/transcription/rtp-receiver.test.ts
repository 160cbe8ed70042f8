import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeUlaw, encodeL16, encodeUlaw, G722Decoder, G722Encoder } from '../media/index.js';
import { serializeRtp } from '../media/index.js';
import { freeUdpPort } from '../../test/helpers/ports.js';
import { RtpReceiver } from './rtp-receiver.js';
import { tone } from './testing/vosk-server.js';

const sender = createSocket('udp4');
let receiver: RtpReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

function packet(seq: number, timestamp: number, payloadType: number, payload: Uint8Array, ssrc = 0x1234) {
  return serializeRtp({
    marker: false,
    payloadType,
    sequenceNumber: seq,
    timestamp,
    ssrc,
    csrcs: [],
    extension: null,
    payload,
    paddingSize: 0,
  });
}

async function send(port: number, packets: Buffer[], from = sender): Promise<void> {
  for (const p of packets)
    await new Promise<void>((resolve) => from.send(p, port, '127.0.0.1', () => resolve()));
}

/** Collects audio until `samples` have arrived. */
function collect(r: RtpReceiver, samples: number): Promise<{ pcm: Int16Array; rates: Set<number> }> {
  const parts: Int16Array[] = [];
  const rates = new Set<number>();
  let have = 0;
  return new Promise((resolve) => {
    r.onAudio((pcm, rate) => {
      parts.push(pcm);
      rates.add(rate);
      have += pcm.length;
      if (have >= samples) {
        const all = new Int16Array(have);
        let at = 0;
        for (const p of parts) {
          all.set(p, at);
          at += p.length;
        }
        resolve({ pcm: all, rates });
      }
    });
  });
}

/** 20 ms PCMU frames of a tone, as bytes and as the PCM they decode to. */
function ulawFrames(count: number): { bytes: Uint8Array[]; pcm: Int16Array[] } {
  const audio = tone(count * 20, 8000, 6000);
  const bytes: Uint8Array[] = [];
  const pcm: Int16Array[] = [];
  for (let i = 0; i < count; i++) {
    const b = new Uint8Array(160);
    encodeUlaw(audio.subarray(i * 160, (i + 1) * 160), b);
    const back = new Int16Array(160);
    decodeUlaw(b, back);
    bytes.push(b);
    pcm.push(back);
  }
  return { bytes, pcm };
}

describe('RTP receiver', () => {
  it('decodes PCMU in sequence order and fills a lost packet and a silence gap with silence', async () => {
    receiver = await RtpReceiver.open('127.0.0.1', 0, 0, 'ulaw');
    const { bytes, pcm } = ulawFrames(8);
    // Frames 0..7 at timestamps 0..1120; frame 3 lost; 2 and 4 swapped; frame 6 sent twice; then a
    // 100 ms silence-suppression gap before frame 7.
    const order = [0, 1, 4, 2, 5, 6, 6];
    const packets = order.map((i) => packet(100 + i, i * 160, 0, bytes[i]!));
    packets.push(packet(107, 7 * 160 + 800, 0, bytes[7]!));
    const got = collect(receiver, 8 * 160 + 800);
    await send(receiver.port, packets);
    // Packets 104..107 wait for the lost 103 until more arrive or the stream stops.
    const stats = () => receiver!.stats;
    while (receiver.stats.packets + receiver.stats.late < 8) await new Promise((r) => setTimeout(r, 5));
    await receiver.close();
    const { pcm: out, rates } = await got;

    expect([...rates]).toEqual([8000]);
    expect(out.length).toBe(8 * 160 + 800);
    const frame = (i: number) => Array.from(out.subarray(i * 160, (i + 1) * 160));
    expect(frame(0)).toEqual(Array.from(pcm[0]!));
    expect(frame(2)).toEqual(Array.from(pcm[2]!));
    expect(frame(3).every((s) => s === 0)).toBe(true);
    expect(frame(4)).toEqual(Array.from(pcm[4]!));
    expect(frame(6)).toEqual(Array.from(pcm[6]!));
    expect(Array.from(out.subarray(7 * 160, 7 * 160 + 800)).every((s) => s === 0)).toBe(true);
    expect(Array.from(out.subarray(7 * 160 + 800))).toEqual(Array.from(pcm[7]!));
    expect(stats()).toMatchObject({ packets: 8, late: 1, lost: 1, filledMs: 120 });
    expect(receiver.startedAt).not.toBeNull();
  });

  it('decodes L16 (slin16) at 16 kHz', async () => {
    receiver = await RtpReceiver.open('127.0.0.1', 0, 0, 'slin16');
    const audio = tone(40, 16000);
    const packets = [0, 1].map((i) => {
      const b = new Uint8Array(640);
      encodeL16(audio.subarray(i * 320, (i + 1) * 320), b);
      return packet(i, i * 320, 118, b);
    });
    const got = collect(receiver, 640);
    await send(receiver.port, packets);
    const { pcm, rates } = await got;
    expect([...rates]).toEqual([16000]);
    expect(Array.from(pcm)).toEqual(Array.from(audio));
  });

  it('decodes G.722 to 16 kHz, its RTP clock being 8 kHz', async () => {
    receiver = await RtpReceiver.open('127.0.0.1', 0, 0, 'g722');
    const audio = tone(40, 16000);
    const encoded = new Uint8Array(320);
    new G722Encoder().encode(audio, encoded, 0, audio.length);
    const expected = new Int16Array(640);
    new G722Decoder().decode(encoded, expected);
    const got = collect(receiver, 640);
    await send(receiver.port, [
      packet(0, 0, 9, encoded.subarray(0, 160)),
      packet(1, 160, 9, encoded.subarray(160)),
    ]);
    const { pcm, rates } = await got;
    expect([...rates]).toEqual([16000]);
    expect(Array.from(pcm)).toEqual(Array.from(expected));
  });

  it('ignores garbage, other senders and payload types it does not decode', async () => {
    receiver = await RtpReceiver.open('127.0.0.1', 0, 0, 'ulaw');
    const { bytes } = ulawFrames(2);
    const intruder = createSocket('udp4');
    const got = collect(receiver, 480);
    await send(receiver.port, [packet(0, 0, 0, bytes[0]!)]);
    await send(receiver.port, [Buffer.from('not rtp at all'), packet(1, 160, 101, new Uint8Array(4))]);
    await send(receiver.port, [packet(5, 800, 0, bytes[1]!, 0x9999)], intruder);
    await send(receiver.port, [packet(2, 320, 0, bytes[1]!)]);
    const { pcm } = await got;
    intruder.close();
    // Frame 0, then the telephone-event packet's 20 ms as a gap, then frame 1.
    expect(pcm.length).toBe(480);
    expect(receiver.stats.ignored).toBe(3);
  });

  it('binds within the configured port range and frees its port on close', async () => {
    const port = await freeUdpPort();
    receiver = await RtpReceiver.open('127.0.0.1', port, port, 'ulaw');
    expect(receiver.port).toBe(port);
    await expect(RtpReceiver.open('127.0.0.1', port, port, 'ulaw')).rejects.toMatchObject({
      code: 'TRANSCRIPTION_NO_PORT',
    });
    await receiver.close();
    receiver = await RtpReceiver.open('127.0.0.1', port, port, 'ulaw');
    expect(receiver.port).toBe(port);
  });
});
