import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../../test/helpers/ports.js';
import type { TranscriptionError } from '../errors.js';
import type { AsrResult, AsrStream } from '../provider.js';
import { concat, frames, silence } from '../testing/audio.js';
import { startFakeVosk, tone, type FakeVoskServer } from '../testing/vosk-server.js';
import { WebsocketProvider } from './websocket.js';

function collect() {
  const results: AsrResult[] = [];
  const errors: TranscriptionError[] = [];
  return {
    results,
    errors,
    listener: { result: (r: AsrResult) => results.push(r), error: (e: TranscriptionError) => errors.push(e) },
  };
}

function feed(stream: AsrStream, pcm: Int16Array, rate: number): void {
  for (const frame of frames(pcm, rate)) stream.write(frame);
}

describe('websocket (Vosk protocol) provider', () => {
  let server: FakeVoskServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('streams audio and turns partials into interims and results into timed finals', async () => {
    server = await startFakeVosk({ script: ['i want a refund', 'thank you'] });
    const provider = new WebsocketProvider({ servers: { 'en-US': server.url }, chunkMs: 100 });
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    const audio = concat([
      silence(200, 8000),
      tone(1000, 8000),
      silence(600, 8000),
      tone(500, 8000),
      silence(200, 8000),
    ]);
    feed(stream, audio, 8000);
    await stream.end();

    expect(c.errors).toEqual([]);
    expect(server.connections[0]!.config).toEqual({ sample_rate: 8000, words: 1 });
    expect(server.connections[0]!.audioBytes).toBe(audio.length * 2);
    expect(server.connections[0]!.gotEof).toBe(true);
    // ~100 ms per message, as configured.
    expect(server.connections[0]!.messages).toBe(Math.ceil(audio.length / 800));
    const finals = c.results.filter((r) => r.final);
    expect(finals.map((r) => r.text)).toEqual(['i want a refund', 'thank you']);
    expect(finals[0]).toMatchObject({ startMs: 200, endMs: 1200, confidence: 0.9, language: 'en-US' });
    expect(finals[1]!.startMs).toBe(1800);
    const interims = c.results.filter((r) => !r.final);
    expect(interims.length).toBeGreaterThan(0);
    expect(interims[0]!.startMs).toBe(0);
    // Every interim comes before the final that settles its audio.
    const firstFinal = c.results.indexOf(finals[0]!);
    expect(c.results.slice(0, firstFinal).every((r) => !r.final)).toBe(true);
  });

  it('sends the phrases of a speech menu as the phrase list', async () => {
    server = await startFakeVosk({ script: ['billing'] });
    const provider = new WebsocketProvider({ servers: { en: server.url }, chunkMs: 100 });
    const c = collect();
    const stream = provider.start(
      { language: 'en-GB', sampleRate: 16000, phrases: ['billing', 'sales'] },
      c.listener,
    );
    feed(stream, concat([tone(400, 16000), silence(500, 16000)]), 16000);
    await stream.end();
    expect(server.connections[0]!.config).toEqual({
      sample_rate: 16000,
      words: 1,
      phrase_list: ['billing', 'sales'],
    });
    expect(c.results.filter((r) => r.final).map((r) => r.text)).toEqual(['billing']);
  });

  it('reports a server it cannot reach as unavailable', async () => {
    const port = await freeTcpPort();
    const provider = new WebsocketProvider({ servers: { 'en-US': `ws://127.0.0.1:${port}` }, chunkMs: 100 });
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    stream.write(new Int16Array(160));
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_UNAVAILABLE']);
    expect(c.errors[0]!.message).toContain(`127.0.0.1:${port}`);
  });

  it('reports a server that drops the stream as a failure and takes no more audio', async () => {
    server = await startFakeVosk({ crashAfterMessages: 3 });
    const provider = new WebsocketProvider({ servers: { 'en-US': server.url }, chunkMs: 20 });
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    for (let i = 0; i < 10; i++) {
      stream.write(new Int16Array(160));
      await new Promise((r) => setTimeout(r, 5));
    }
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_FAILED']);
    expect(server.connections[0]!.messages).toBe(3);
  });

  it('knows which languages it has a server for', () => {
    const provider = new WebsocketProvider({
      servers: { 'en-US': 'ws://x', 'cmn-Hans-CN': 'ws://y' },
      chunkMs: 100,
    });
    expect(provider.supports('en-US')).toBe(true);
    expect(provider.supports('cmn-Hans-CN')).toBe(true);
    expect(provider.supports('yue-Hant-HK')).toBe(false);
  });

  it('reports a language without a server after start returns', async () => {
    const provider = new WebsocketProvider({ servers: { 'en-US': 'ws://127.0.0.1:1' }, chunkMs: 100 });
    const c = collect();
    const stream = provider.start({ language: 'yue-Hant-HK', sampleRate: 8000 }, c.listener);
    expect(c.errors).toEqual([]);
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_LANGUAGE_UNSUPPORTED']);
  });
});
