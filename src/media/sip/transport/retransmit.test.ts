import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flow } from './flow.js';
import { UdpReliability } from './retransmit.js';

const peer: Flow = { transport: 'udp', address: '192.0.2.1', port: 5060 };
const timers = { t1: 500, t2: 4000, t4: 5000 };

describe('UDP retransmission (RFC 3261 §17 timers sip.js leaves out)', () => {
  let sent: string[];
  let layer: UdpReliability;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    layer = new UdpReliability(timers, (data) => sent.push(data.toString()));
  });
  afterEach(() => {
    layer.clear();
    vi.useRealTimers();
  });

  it('retransmits an INVITE at T1, 2T1, 4T1... until a response (timer A)', () => {
    layer.sent({ kind: 'request', method: 'INVITE', branch: 'b1' }, Buffer.from('INVITE'), peer);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(['INVITE']);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(2000);
    expect(sent).toHaveLength(3);
    expect(layer.absorbResponse(100, 'INVITE', 'b1')).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(3);
    expect(layer.size).toBe(0);
  });

  it('stops retransmitting an unanswered INVITE after 64·T1 (timer B)', () => {
    layer.sent({ kind: 'request', method: 'INVITE', branch: 'b1' }, Buffer.from('INVITE'), peer);
    vi.advanceTimersByTime(64 * 500 + 1);
    // 500, 1500, 3500, 7500, 15500, 31500 ms: six retransmissions inside 32 s.
    expect(sent).toHaveLength(6);
    expect(layer.size).toBe(0);
  });

  it('caps a non-INVITE retransmission interval at T2, and slows to T2 after a provisional (timer E)', () => {
    layer.sent({ kind: 'request', method: 'BYE', branch: 'b2' }, Buffer.from('BYE'), peer);
    vi.advanceTimersByTime(500 + 1000 + 2000 + 4000 + 4000);
    expect(sent).toHaveLength(5);
    layer.absorbResponse(100, 'BYE', 'b2');
    vi.advanceTimersByTime(3999);
    expect(sent).toHaveLength(5);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(6);
    layer.absorbResponse(200, 'BYE', 'b2');
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(6);
  });

  it('retransmits a failure response to an INVITE until the ACK (timer G)', () => {
    layer.sent({ kind: 'response', status: 486, method: 'INVITE', branch: 'b3' }, Buffer.from('486'), peer);
    vi.advanceTimersByTime(500 + 1000 + 2000);
    expect(sent).toEqual(['486', '486', '486']);
    expect(layer.absorbRequest('ACK', 'b3', peer)).toBe(false);
    vi.advanceTimersByTime(30_000);
    expect(sent).toHaveLength(3);
    expect(layer.size).toBe(0);
  });

  it('does not retransmit a 2xx to an INVITE (sip.js does, until the ACK) nor provisional responses', () => {
    layer.sent({ kind: 'response', status: 200, method: 'INVITE', branch: 'b4' }, Buffer.from('200'), peer);
    layer.sent({ kind: 'response', status: 180, method: 'INVITE', branch: 'b4' }, Buffer.from('180'), peer);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([]);
  });

  it('answers a retransmitted non-INVITE request from the response already sent, for 64·T1 (timer J)', () => {
    layer.sent({ kind: 'response', status: 200, method: 'BYE', branch: 'b5' }, Buffer.from('200 BYE'), peer);
    expect(layer.absorbRequest('BYE', 'b5', peer)).toBe(true);
    expect(sent).toEqual(['200 BYE']);
    expect(layer.absorbRequest('BYE', 'b5', { ...peer, port: 5070 })).toBe(false);
    vi.advanceTimersByTime(64 * 500);
    expect(layer.absorbRequest('BYE', 'b5', peer)).toBe(false);
    expect(layer.size).toBe(0);
  });

  it('acknowledges a retransmitted failure response to our INVITE again (timer D)', () => {
    layer.sent({ kind: 'request', method: 'INVITE', branch: 'b6' }, Buffer.from('INVITE'), peer);
    expect(layer.absorbResponse(486, 'INVITE', 'b6')).toBe(false);
    layer.sent({ kind: 'request', method: 'ACK', branch: 'b6' }, Buffer.from('ACK'), peer);
    expect(layer.absorbResponse(486, 'INVITE', 'b6')).toBe(true);
    expect(sent).toEqual(['ACK']);
  });
});
