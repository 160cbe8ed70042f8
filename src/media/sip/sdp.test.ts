import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  answerOffer,
  buildAnswer,
  buildOffer,
  isHold,
  parseSdp,
  readAnswer,
} from './sdp.js';

const sdp = (...lines: string[]) => lines.join('\r\n') + '\r\n';

const phoneOffer = sdp(
  'v=0',
  'o=phone 1 1 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 4000 RTP/AVP 9 0 8 101',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
);
const local = { address: '198.51.100.1', port: 12000 };

describe('SDP offer/answer', () => {
  it('picks the first codec of our preference that the offer carries', () => {
    const result = answerOffer(phoneOffer, ['PCMA', 'PCMU']);
    expect(result).toMatchObject({
      ok: true,
      media: { codec: 'PCMA', payloadType: 8, sampleRate: 8000, rtpClockRate: 8000 },
    });
  });

  it('gives G.722 16 kHz audio on an 8 kHz RTP clock', () => {
    const result = answerOffer(phoneOffer, ['G722', 'PCMU']);
    expect(result).toMatchObject({
      ok: true,
      media: { codec: 'G722', payloadType: 9, sampleRate: 16000, rtpClockRate: 8000 },
    });
  });

  it('negotiates L16/16000 on a dynamic payload type', () => {
    const offer = sdp('v=0', 'c=IN IP4 192.0.2.1', 'm=audio 5000 RTP/AVP 118 0', 'a=rtpmap:118 L16/16000');
    const result = answerOffer(offer, ['L16', 'PCMU']);
    expect(result).toMatchObject({
      ok: true,
      media: { codec: 'L16', payloadType: 118, sampleRate: 16000, rtpClockRate: 16000 },
    });
  });

  it('does not take stereo L16 or L16 at another rate for ours', () => {
    const offer = sdp(
      'v=0',
      'c=IN IP4 192.0.2.1',
      'm=audio 5000 RTP/AVP 96 97',
      'a=rtpmap:96 L16/16000/2',
      'a=rtpmap:97 L16/44100',
    );
    expect(answerOffer(offer, ['L16'])).toEqual({ ok: false, reason: 'no-common-codec' });
  });

  it('keeps the current codec on a re-offer that still carries it', () => {
    expect(answerOffer(phoneOffer, ['G722', 'PCMU'], 'PCMU')).toMatchObject({
      ok: true,
      media: { codec: 'PCMU' },
    });
  });

  it('reports telephone-event, ptime, the remote address and the direction', () => {
    const result = answerOffer(phoneOffer, ['PCMU']);
    expect(result.ok && result.media).toMatchObject({
      dtmfPayloadType: 101,
      ptime: 20,
      remote: { address: '192.0.2.10', port: 4000 },
      direction: 'sendrecv',
    });
  });

  it('says there is no DTMF payload when the peer offers no telephone-event', () => {
    const offer = sdp('v=0', 'c=IN IP4 192.0.2.1', 'm=audio 5000 RTP/AVP 0');
    expect(answerOffer(offer, ['PCMU'])).toMatchObject({
      ok: true,
      media: { dtmfPayloadType: null, ptime: 20 },
    });
  });

  it('refuses an offer with no codec we have, and text that is not SDP', () => {
    const offer = sdp('v=0', 'c=IN IP4 192.0.2.1', 'm=audio 5000 RTP/AVP 18 3', 'a=rtpmap:18 G729/8000');
    expect(answerOffer(offer, ['PCMU', 'PCMA'])).toEqual({ ok: false, reason: 'no-common-codec' });
    expect(answerOffer('<audio><pcmu port="443"/></audio>', ['PCMU'])).toEqual({
      ok: false,
      reason: 'not-sdp',
    });
    expect(answerOffer(sdp('v=0', 'm=video 3227 RTP/AVP 31'), ['PCMU'])).toEqual({
      ok: false,
      reason: 'no-audio',
    });
  });

  it('skips an audio stream the offerer disabled (port 0) and one that is not RTP/AVP', () => {
    const offer = sdp(
      'v=0',
      'c=IN IP4 192.0.2.1',
      'm=audio 0 RTP/AVP 0',
      'm=audio 6000 RTP/SAVP 0',
      'm=audio 7000 RTP/AVP 8',
    );
    expect(answerOffer(offer, ['PCMU', 'PCMA'])).toMatchObject({
      ok: true,
      index: 2,
      media: { codec: 'PCMA' },
    });
  });

  it('detects hold: sendonly, inactive and RFC 2543 c=0.0.0.0', () => {
    const hold = (extra: string, address = '192.0.2.1') =>
      answerOffer(sdp('v=0', `c=IN IP4 ${address}`, 'm=audio 5000 RTP/AVP 0', extra), ['PCMU']);
    const sendonly = hold('a=sendonly');
    const inactive = hold('a=inactive');
    const zero = hold('a=sendrecv', '0.0.0.0');
    const active = hold('a=sendrecv');
    expect(sendonly.ok && isHold(sendonly.media)).toBe(true);
    expect(inactive.ok && isHold(inactive.media)).toBe(true);
    expect(zero.ok && zero.media.remote).toBeNull();
    expect(zero.ok && isHold(zero.media)).toBe(true);
    expect(active.ok && isHold(active.media)).toBe(false);
  });

  it('takes media-level connection and direction over session-level ones', () => {
    const offer = sdp(
      'v=0',
      'c=IN IP4 192.0.2.1',
      'a=sendonly',
      't=0 0',
      'm=audio 5000 RTP/AVP 0',
      'c=IN IP4 192.0.2.99',
      'a=recvonly',
    );
    expect(answerOffer(offer, ['PCMU'])).toMatchObject({
      ok: true,
      media: { remote: { address: '192.0.2.99' }, direction: 'recvonly' },
    });
  });

  it('answers on the audio line with our address, and refuses the other lines with port 0', () => {
    const offer = sdp(
      'v=0',
      'c=IN IP4 192.0.2.5',
      't=0 0',
      'm=audio 49217 RTP/AVP 0 12',
      'm=video 3227 RTP/AVP 31',
      'a=rtpmap:31 LPC',
    );
    const result = answerOffer(offer, ['PCMU']);
    if (!result.ok) throw new Error(result.reason);
    const answer = buildAnswer(offer, result.media, result.index, local, { sessionId: '42', version: 1 });
    const parsed = parseSdp(answer)!;
    expect(parsed.media).toHaveLength(2);
    expect(parsed.media[0]).toMatchObject({ type: 'audio', port: 12000, formats: ['0'] });
    expect(parsed.media[1]).toMatchObject({ type: 'video', port: 0 });
    expect(parsed.connection).toBe('198.51.100.1');
    expect(answer).toContain('o=hotline 42 1 IN IP4 198.51.100.1');
    expect(answer).toContain('a=ptime:20');
  });

  it('answers hold with the mirrored direction', () => {
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    const offer = sdp(
      'v=0',
      'c=IN IP4 192.0.2.1',
      'm=audio 5000 RTP/AVP 0 101',
      'a=rtpmap:101 telephone-event/8000',
      'a=sendonly',
    );
    const result = answerOffer(offer, ['PCMU']);
    if (!result.ok) throw new Error(result.reason);
    const answer = buildAnswer(offer, result.media, result.index, local, { sessionId: '1', version: 2 });
    expect(answer).toContain('a=recvonly');
    expect(answer).toContain('m=audio 12000 RTP/AVP 0 101');
    expect(answer).toContain('a=rtpmap:101 telephone-event/8000');
  });

  it('builds an offer that reads back as the codec the peer answers with', () => {
    const offer = buildOffer(['G722', 'PCMU', 'L16'], local, { sessionId: '7', version: 1 });
    expect(offer).toContain('m=audio 12000 RTP/AVP 9 0 96 101');
    expect(offer).toContain('a=rtpmap:96 L16/16000');
    const answer = sdp(
      'v=0',
      'c=IN IP4 192.0.2.7',
      'm=audio 6000 RTP/AVP 0 101',
      'a=rtpmap:101 telephone-event/8000',
    );
    expect(readAnswer(answer, ['G722', 'PCMU', 'L16'])).toMatchObject({
      codec: 'PCMU',
      dtmfPayloadType: 101,
      remote: { address: '192.0.2.7', port: 6000 },
    });
    expect(readAnswer(sdp('v=0', 'c=IN IP4 192.0.2.7', 'm=audio 6000 RTP/AVP 8'), ['PCMU'])).toBeNull();
  });

  it('never throws on garbage', () => {
    for (const text of [
      '',
      'v=0',
      'v=0\r\nm=audio x RTP/AVP',
      'v=0\r\nm=\r\nc=\r\na=rtpmap:\r\n',
      '\u0000\u00ff'.repeat(50),
    ]) {
      expect(() => answerOffer(text, ['PCMU'])).not.toThrow();
    }
  });
});
