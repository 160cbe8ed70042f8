// The real @google-cloud/speech client against a local gRPC server built from its shipped protos.
// METADATA_SERVER_DETECTION=none and explicit credentials: nothing leaves loopback.
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptionError } from '../errors.js';
import type { AsrResult, AsrStream } from '../provider.js';
import { concat, frames, silence } from '../testing/audio.js';
import { startFakeGoogle, type FakeGoogleOptions, type FakeGoogleServer } from '../testing/google-server.js';
import { tone } from '../testing/vosk-server.js';
import { GoogleProvider, type GoogleSettings } from './google.js';

beforeAll(() => {
  process.env.METADATA_SERVER_DETECTION = 'none';
});

function collect() {
  const results: AsrResult[] = [];
  const errors: TranscriptionError[] = [];
  return {
    results,
    errors,
    listener: { result: (r: AsrResult) => results.push(r), error: (e: TranscriptionError) => errors.push(e) },
  };
}

/** Writes audio in 20 ms frames, yielding now and then so gRPC gets to run. */
async function feed(stream: AsrStream, pcm: Int16Array, rate: number): Promise<void> {
  let n = 0;
  for (const frame of frames(pcm, rate)) {
    stream.write(frame);
    if (++n % 10 === 0) await new Promise((r) => setImmediate(r));
  }
}

/** Writes audio at the pace a call delivers it (100 ms at a time), as a rotation meets it live. */
async function feedLive(stream: AsrStream, pcm: Int16Array, rate: number): Promise<void> {
  for (const chunk of frames(pcm, rate, 100)) {
    stream.write(chunk);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('google provider', () => {
  let server: FakeGoogleServer | null = null;
  let provider: GoogleProvider | null = null;

  async function setUp(options: FakeGoogleOptions, settings: Partial<GoogleSettings> = {}) {
    server = await startFakeGoogle(options);
    provider = new GoogleProvider({
      apiEndpoint: '127.0.0.1',
      port: server.port,
      insecure: true,
      projectId: 'hotline-test',
      credentials: { client_email: 'test@hotline.invalid', private_key: 'not-a-key' },
      maxStreamMs: 290_000,
      ...settings,
    });
    return { server, provider };
  }

  afterEach(async () => {
    await provider?.close();
    await server?.close();
    provider = null;
    server = null;
  });

  it('streams with the call’s language and gives interim results, then a timed final', async () => {
    const { server, provider } = await setUp({ script: ['我想查一下我的订单'] });
    const c = collect();
    const stream = provider.start({ language: 'cmn-Hans-CN', sampleRate: 8000 }, c.listener);
    await feed(stream, concat([silence(300, 8000), tone(1200, 8000), silence(800, 8000)]), 8000);
    await stream.end();

    expect(c.errors).toEqual([]);
    expect(server.streams).toHaveLength(1);
    expect(server.streams[0]!.config).toMatchObject({
      config: {
        encoding: 'LINEAR16',
        sampleRateHertz: 8000,
        languageCode: 'cmn-Hans-CN',
        enableWordTimeOffsets: true,
      },
      interimResults: true,
    });
    const interims = c.results.filter((r) => !r.final);
    const finals = c.results.filter((r) => r.final);
    expect(interims.length).toBeGreaterThan(0);
    expect(finals).toHaveLength(1);
    expect(c.results.indexOf(finals[0]!)).toBeGreaterThan(c.results.indexOf(interims[0]!));
    expect(finals[0]).toMatchObject({
      text: '我想查一下我的订单',
      startMs: 300,
      endMs: 1500,
      confidence: 0.87,
      final: true,
    });
    expect(finals[0]!.language.toLowerCase()).toBe('cmn-hans-cn');
  });

  it('replaces the stream before its limit and resends the unfinished audio, losing no words at the seam', async () => {
    const { server, provider } = await setUp(
      { script: ['first words', 'across the seam', 'after the seam'] },
      { maxStreamMs: 3000 },
    );
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    // Utterance 1 ends long before the limit; utterance 2 runs across it (2500..3600 ms); then a third.
    const audio = concat([
      silence(200, 8000),
      tone(600, 8000),
      silence(1700, 8000),
      tone(1100, 8000, 9000),
      silence(700, 8000),
      tone(500, 8000),
      silence(700, 8000),
    ]);
    await feedLive(stream, audio, 8000);
    await stream.end();

    expect(c.errors).toEqual([]);
    expect(server.streams.length).toBeGreaterThanOrEqual(2);
    expect(server.streams[0]!.closedByClient).toBe(true);
    // The second stream got the cut utterance from its beginning (its final starts at 2500 ms).
    const finals = c.results.filter((r) => r.final);
    expect(finals.map((r) => r.text)).toEqual(['first words', 'across the seam', 'after the seam']);
    expect(finals[0]).toMatchObject({ startMs: 200, endMs: 800 });
    expect(finals[1]).toMatchObject({ startMs: 2500, endMs: 3600 });
    expect(finals[2]).toMatchObject({ startMs: 4300, endMs: 4800 });
  });

  it('surfaces an error from the server as a stream error naming the gRPC status', async () => {
    const { provider } = await setUp({
      failStream: {
        stream: 1,
        afterMs: 400,
        code: grpc.status.INVALID_ARGUMENT,
        details: 'Invalid recognition config: bad language',
      },
    });
    const c = collect();
    const stream = provider.start({ language: 'xx-XX', sampleRate: 8000 }, c.listener);
    await feed(stream, concat([tone(800, 8000), silence(500, 8000)]), 8000);
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_FAILED']);
    expect(c.errors[0]!.message).toBe(
      'ASR provider google failed during a stream: INVALID_ARGUMENT: Invalid recognition config: bad language',
    );
  });

  it('reports an endpoint that is not there as unavailable', async () => {
    const { server, provider } = await setUp({});
    await server.close();
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    await feed(stream, tone(200, 8000), 8000);
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_UNAVAILABLE']);
    expect(c.errors[0]!.message).toMatch(/UNAVAILABLE/);
  });
});
