import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptionError } from '../errors.js';
import type { AsrResult } from '../provider.js';
import { concat, frames, silence } from '../testing/audio.js';
import { startFakeVosk, tone, type FakeVoskServer } from '../testing/vosk-server.js';
import { FallbackProvider } from './fallback.js';
import { WebsocketProvider } from './websocket.js';

function collect() {
  const results: AsrResult[] = [];
  const errors: TranscriptionError[] = [];
  const warnings: [TranscriptionError, Record<string, unknown>][] = [];
  return {
    results,
    errors,
    warnings,
    listener: {
      result: (r: AsrResult) => results.push(r),
      error: (e: TranscriptionError) => errors.push(e),
      warning: (e: TranscriptionError, d: Record<string, unknown>) => warnings.push([e, d]),
    },
  };
}

/** A provider named for the test, over a Vosk-protocol server. */
function named(name: string, url: string, language = 'en-US') {
  const provider = new WebsocketProvider({ servers: { [language]: url }, chunkMs: 100 });
  Object.defineProperty(provider, 'name', { value: name });
  return provider;
}

describe('fallback provider', () => {
  const servers: FakeVoskServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('switches to the secondary when the primary fails mid-stream, resending the unfinished utterance', async () => {
    const broken = await startFakeVosk({ script: ['first from primary'], crashAfterMessages: 20 });
    const healthy = await startFakeVosk({ script: ['second from secondary', 'third from secondary'] });
    servers.push(broken, healthy);
    const provider = new FallbackProvider(named('primary', broken.url), named('secondary', healthy.url));
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    // Utterance 1 (0.2–0.8 s) is finalised by the primary; it crashes at 2.0 s in utterance 2
    // (1.5–2.5 s); the secondary gets the audio from 0.8 s on.
    const audio = concat([
      silence(200, 8000),
      tone(600, 8000),
      silence(700, 8000),
      tone(1000, 8000),
      silence(700, 8000),
      tone(400, 8000),
      silence(600, 8000),
    ]);
    for (const chunk of frames(audio, 8000, 100)) {
      stream.write(chunk);
      await new Promise((r) => setTimeout(r, 10));
    }
    await stream.end();

    expect(c.errors).toEqual([]);
    expect(c.warnings.map(([e, d]) => [e.code, d])).toEqual([
      ['TRANSCRIPTION_PROVIDER_FAILED', { switchedTo: 'secondary' }],
    ]);
    const finals = c.results.filter((r) => r.final);
    expect(finals.map((r) => [r.text, r.provider])).toEqual([
      ['first from primary', 'primary'],
      ['second from secondary', 'secondary'],
      ['third from secondary', 'secondary'],
    ]);
    // Times stay on the stream's clock across the switch.
    expect(finals[1]).toMatchObject({ startMs: 1500, endMs: 2500 });
    expect(finals[2]).toMatchObject({ startMs: 3200, endMs: 3600 });
  });

  it('starts on the secondary when the primary cannot do the language', async () => {
    const zh = await startFakeVosk({ script: ['你好'] });
    servers.push(zh);
    const provider = new FallbackProvider(
      named('primary', 'ws://127.0.0.1:1', 'en-US'),
      named('secondary', zh.url, 'cmn-Hans-CN'),
    );
    expect(provider.supports('cmn-Hans-CN')).toBe(true);
    const c = collect();
    const stream = provider.start({ language: 'cmn-Hans-CN', sampleRate: 8000 }, c.listener);
    for (const chunk of frames(concat([tone(500, 8000), silence(500, 8000)]), 8000)) stream.write(chunk);
    await stream.end();
    expect(c.results.filter((r) => r.final).map((r) => [r.text, r.provider])).toEqual([
      ['你好', 'secondary'],
    ]);
  });

  it('reports the failure when the secondary cannot do the language either', async () => {
    const broken = await startFakeVosk({ crashAfterMessages: 2 });
    servers.push(broken);
    const provider = new FallbackProvider(
      named('primary', broken.url, 'en-US'),
      named('secondary', 'ws://127.0.0.1:1', 'fr-FR'),
    );
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 8000 }, c.listener);
    for (let i = 0; i < 5; i++) {
      stream.write(new Int16Array(800));
      await new Promise((r) => setTimeout(r, 10));
    }
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_FAILED']);
    expect(c.warnings).toEqual([]);
  });
});
