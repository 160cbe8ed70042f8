// Builds an in-process engine for tests, with settings helpers and the leak check every test ends with.
import { expect } from 'vitest';
import type { Codec, MediaEngineEvent, RtpEndpointSettings } from '../contract.js';
import { LocalMediaEngine } from '../engine.js';
import type { Clock } from '../media-clock.js';

export function settingsFor(
  remotePort: number | null,
  codec: Codec = 'PCMU',
  extra: Partial<RtpEndpointSettings> = {},
): RtpEndpointSettings {
  const payloadType = codec === 'PCMU' ? 0 : codec === 'PCMA' ? 8 : codec === 'G722' ? 9 : 96;
  return {
    remote: remotePort === null ? null : { address: '127.0.0.1', port: remotePort },
    codec,
    payloadType,
    sampleRate: codec === 'G722' ? 16000 : 8000,
    rtpClockRate: 8000,
    dtmfPayloadType: 101,
    ptime: 20,
    latch: true,
    direction: 'sendrecv',
    ...extra,
  };
}

export interface EngineFixture {
  engine: LocalMediaEngine;
  events: MediaEngineEvent[];
  /** Closes the engine after checking nothing is left behind. */
  finish(): Promise<void>;
}

export function engineFixture(options: { rtpTimeoutMs?: number; clock?: Clock } = {}): EngineFixture {
  // A random slice of a wide range, so test files running side by side rarely meet.
  const base = 20000 + 2 * Math.floor(Math.random() * 10000);
  const engine = new LocalMediaEngine({ rtpPortMin: base, rtpPortMax: base + 400, ...options });
  const events: MediaEngineEvent[] = [];
  engine.on((e) => events.push(e));
  return {
    engine,
    events,
    async finish() {
      await engine.close();
      expect(await engine.counts()).toEqual({
        endpoints: 0,
        mixers: 0,
        playbacks: 0,
        recordings: 0,
        ports: 0,
      });
    },
  };
}

/** Resolves when an event matching `match` has been seen. */
export async function eventually<T extends MediaEngineEvent>(
  events: MediaEngineEvent[],
  match: (e: MediaEngineEvent) => e is T,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = events.find(match);
    if (found) return found;
    if (performance.now() > deadline)
      throw new Error(`no such event; saw ${JSON.stringify(events.slice(-5))}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
