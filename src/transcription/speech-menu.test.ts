// Speech menus on the real pocketsphinx in grammar mode, above a fake of our ForkAri interface
// that sends a human-recorded 16 kHz prompt as real RTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { ProviderRegistry } from './providers/index.js';
import { matchPhrase, PhraseRecognizer } from './speech-menu.js';
import { concat, prompt16k, silence } from './testing/audio.js';
import { FakeForkAri } from './testing/fake-fork-ari.js';

describe('speech menus', () => {
  let ari: FakeForkAri;
  let recognizer: PhraseRecognizer;
  let providers: ProviderRegistry;
  beforeEach(() => {
    ari = new FakeForkAri();
    const settings = loadConfig({}).transcription;
    providers = new ProviderRegistry(settings);
    recognizer = new PhraseRecognizer({
      ari,
      fork: {
        bindAddress: '127.0.0.1',
        advertiseAddress: '127.0.0.1',
        portMin: 0,
        portMax: 0,
        wideband: 'auto',
      },
      providers,
      settings,
      log: silentLogger,
    });
  });
  afterEach(async () => {
    await recognizer.close();
    await providers.close();
    ari.close();
  });

  it('hears which phrase a caller on a wideband leg says, and cleans up its fork', async () => {
    ari.wideband.add('ch-1');
    ari.audio.set(
      'ch-1',
      concat([silence(300, 16000), await prompt16k('queue-thankyou'), silence(1200, 16000)]),
    );
    const result = await recognizer.recognize({
      channelId: 'ch-1',
      phrases: ['billing', 'thank you for your patience', 'technical support'],
      language: 'en-US',
      timeoutMs: 20_000,
    });
    expect(result.phrase).toBe('thank you for your patience');
    expect(result.heard).toContain('thank you for your patience');
    expect(ari.live.size).toBe(0);
    expect(ari.bridges.size).toBe(0);
  });

  it('answers no phrase when nothing is said before the timeout', async () => {
    const result = await recognizer.recognize({
      channelId: 'ch-2',
      phrases: ['billing'],
      language: 'en-US',
      timeoutMs: 300,
    });
    expect(result).toEqual({ phrase: null, heard: '', confidence: null });
    expect(ari.live.size).toBe(0);
  });

  it('stops listening when the IVR aborts', async () => {
    const controller = new AbortController();
    const pending = recognizer.recognize(
      { channelId: 'ch-3', phrases: ['billing'], language: 'en-US', timeoutMs: 60_000 },
      controller.signal,
    );
    await expect.poll(() => ari.live.size).toBe(2);
    controller.abort();
    expect((await pending).phrase).toBeNull();
    expect(ari.live.size).toBe(0);
  });

  it('refuses a phrase with a word the recogniser does not know, naming it', async () => {
    await expect(
      recognizer.recognize({
        channelId: 'ch-4',
        phrases: ['billing', 'zorblax please'],
        language: 'en-US',
        timeoutMs: 1000,
      }),
    ).rejects.toMatchObject({
      code: 'TRANSCRIPTION_PHRASE_UNKNOWN',
      message: expect.stringContaining('"zorblax"'),
    });
    expect(ari.calls).toEqual([]);
  });

  it('does English offline; other languages need a provider that has them', () => {
    expect(recognizer.supports('en-US')).toBe(true);
    expect(recognizer.supports('cmn-Hans-CN')).toBe(false);
  });

  it('matches phrases as whole words, the longest first, and Chinese by characters', () => {
    expect(matchPhrase('um technical support please', ['support', 'technical support'])).toBe(
      'technical support',
    );
    expect(matchPhrase('I need billing.', ['bill', 'billing'])).toBe('billing');
    expect(matchPhrase('我要 技术 支持', ['人工服务', '技术支持'])).toBe('技术支持');
    expect(matchPhrase('nothing relevant', ['billing'])).toBeNull();
  });
});
