// Runs the real pocketsphinx_continuous (Debian's pocketsphinx + pocketsphinx-en-us) on
// human-recorded Asterisk prompts at 16 kHz.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { TranscriptionError } from '../errors.js';
import type { AsrResult, AsrStream } from '../provider.js';
import { concat, frames, prompt16k, silence, wordOverlap } from '../testing/audio.js';
import { FAST_DICTATION_ARGS } from '../../config.js';
import { jsgfGrammar, PocketsphinxProvider, type PocketsphinxSettings } from './pocketsphinx.js';

const MODEL = '/usr/share/pocketsphinx/model/en-us';
const settings: PocketsphinxSettings = {
  command: 'pocketsphinx_continuous',
  hmm: `${MODEL}/en-us`,
  lm: `${MODEL}/en-us.lm.bin`,
  dict: `${MODEL}/cmudict-en-us.dict`,
  language: 'en-US',
  vadPostspeechMs: 300,
  args: [],
  tempPrefix: 'hotline-asr-ps-test-',
};

function collect() {
  const results: AsrResult[] = [];
  const errors: TranscriptionError[] = [];
  const decoders: Record<string, unknown>[] = [];
  return {
    results,
    errors,
    decoders,
    listener: {
      result: (r: AsrResult) => results.push(r),
      error: (e: TranscriptionError) => errors.push(e),
      decoder: (d: Record<string, unknown>) => decoders.push(d),
    },
  };
}

function feed(stream: AsrStream, pcm: Int16Array): void {
  for (const frame of frames(pcm, 16000)) stream.write(frame);
}

async function leftovers(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((f) => f.startsWith('hotline-asr-ps-test-'));
}

describe('pocketsphinx provider', () => {
  const provider = new PocketsphinxProvider(settings);

  it('gives one final result per utterance, in order, timed from the first sample', async () => {
    const thanks = await prompt16k('demo-thanks');
    const patience = await prompt16k('queue-thankyou');
    const c = collect();
    const before = await leftovers();
    const stream = provider.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, concat([silence(500, 16000), thanks, silence(1500, 16000), patience, silence(1000, 16000)]));
    await stream.end();

    expect(c.errors).toEqual([]);
    expect(c.results.length).toBeGreaterThanOrEqual(2);
    expect(c.results.every((r) => r.final && r.language === 'en-US')).toBe(true);
    const all = c.results.map((r) => r.text).join(' ');
    // "Goodbye. Thank you for trying out the Asterisk open source PBX." at 16 kHz: pocketsphinx
    // gets part of it (docs/transcription.md has the accuracy to expect).
    expect(
      wordOverlap('goodbye thank you for trying out the asterisk open source p b x', all),
    ).toBeGreaterThan(0.3);
    expect(wordOverlap('thank you for your patience', c.results[c.results.length - 1]!.text)).toBeGreaterThan(
      0.5,
    );
    // The first utterance starts after the leading half second of silence; the last one after
    // the first prompt and the pause.
    expect(c.results[0]!.startMs).toBeGreaterThanOrEqual(300);
    const thanksEndMs = 500 + (thanks.length / 16000) * 1000;
    expect(c.results[c.results.length - 1]!.startMs).toBeGreaterThan(thanksEndMs);
    for (let i = 1; i < c.results.length; i++)
      expect(c.results[i]!.startMs).toBeGreaterThanOrEqual(c.results[i - 1]!.endMs);
    // Process gone, FIFO folder deleted.
    expect(await leftovers()).toEqual(before);
  });

  it('still recognises speech that follows seconds of a near-silent idle line', async () => {
    // A decoded idle G.722 line: a few LSB of noise. pocketsphinx_continuous alone gets lost here.
    let seed = 7;
    const idle = new Int16Array(4 * 16000).map(
      () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 25) - 12,
    );
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, concat([idle, await prompt16k('queue-thankyou'), silence(1000, 16000)]));
    await stream.end();
    expect(c.errors).toEqual([]);
    expect(
      wordOverlap('thank you for your patience', c.results.map((r) => r.text).join(' ')),
    ).toBeGreaterThan(0.5);
    // Timed on the stream's clock, idle line included.
    expect(c.results[0]!.startMs).toBeGreaterThanOrEqual(3800);
  });

  it('recognises only the phrases of a speech menu in grammar mode', async () => {
    const c = collect();
    const stream = provider.start(
      { language: 'en-US', sampleRate: 16000, phrases: ['thank you for your patience', 'sales', 'billing'] },
      c.listener,
    );
    feed(stream, concat([silence(300, 16000), await prompt16k('queue-thankyou'), silence(800, 16000)]));
    await stream.end();
    expect(c.errors).toEqual([]);
    expect(c.results.map((r) => r.text)).toContain('thank you for your patience');
  });

  it('passes the dictation decoder options to dictation only, not to speech menus', async () => {
    // An option pocketsphinx refuses: a stream that gets it fails.
    const strict = new PocketsphinxProvider({ ...settings, dictationArgs: ['-no_such_option', '1'] });
    const menu = collect();
    const menuStream = strict.start(
      { language: 'en-US', sampleRate: 16000, phrases: ['thank you for your patience', 'sales'] },
      menu.listener,
    );
    const dictation = collect();
    const dictationStream = strict.start({ language: 'en-US', sampleRate: 16000 }, dictation.listener);
    const audio = concat([silence(300, 16000), await prompt16k('queue-thankyou'), silence(800, 16000)]);
    feed(menuStream, audio);
    feed(dictationStream, audio);
    await Promise.all([menuStream.end(), dictationStream.end()]);
    expect(menu.errors).toEqual([]);
    expect(menu.results.map((r) => r.text)).toContain('thank you for your patience');
    expect(dictation.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_FAILED']);
  });

  it('decodes an utterance with the under-load settings while more streams are open than allowed', async () => {
    const busy = new PocketsphinxProvider({
      ...settings,
      underLoad: { aboveStreams: 1, args: [...FAST_DICTATION_ARGS] },
    });
    const patience = await prompt16k('queue-thankyou');
    const first = collect();
    const firstStream = busy.start({ language: 'en-US', sampleRate: 16000 }, first.listener);
    feed(firstStream, concat([silence(300, 16000), patience]));
    // A second party joins while the first is still speaking: two streams open, one allowed.
    const second = collect();
    const secondStream = busy.start({ language: 'en-US', sampleRate: 16000 }, second.listener);
    feed(secondStream, concat([silence(300, 16000), patience, silence(800, 16000)]));
    await secondStream.end();
    feed(firstStream, silence(800, 16000));
    await firstStream.end();
    expect(busy.decoded).toEqual({ standard: 1, underLoad: 1 });
    // Once the others have gone, the next stream's utterance gets the standard settings again.
    const third = collect();
    const thirdStream = busy.start({ language: 'en-US', sampleRate: 16000 }, third.listener);
    feed(thirdStream, concat([silence(300, 16000), patience, silence(800, 16000)]));
    await thirdStream.end();
    expect(busy.decoded).toEqual({ standard: 2, underLoad: 1 });
    // Only the stream that got the cheaper settings says so.
    expect(first.decoders).toEqual([]);
    expect(second.decoders).toEqual([{ decoder: 'underLoad', reason: 'many calls being transcribed' }]);
    expect(third.decoders).toEqual([]);
    for (const c of [first, second, third]) {
      expect(c.errors).toEqual([]);
      expect(c.results.map((r) => r.text)).toContain('thank you for your patience');
    }
    await busy.close();
  });

  it('never uses the under-load settings when they are switched off', async () => {
    const never = new PocketsphinxProvider({
      ...settings,
      underLoad: { aboveStreams: 0, args: ['-no_such_option', '1'] },
    });
    const patience = await prompt16k('queue-thankyou');
    const streams = [collect(), collect()].map((c) => ({
      c,
      s: never.start({ language: 'en-US', sampleRate: 16000 }, c.listener),
    }));
    for (const { s } of streams) feed(s, concat([silence(300, 16000), patience]));
    for (const { s } of streams) feed(s, silence(800, 16000));
    await Promise.all(streams.map(({ s }) => s.end()));
    expect(never.decoded).toEqual({ standard: 2, underLoad: 0 });
    for (const { c } of streams) expect(c.errors).toEqual([]);
  });

  it('finds phrase words its dictionary does not know', async () => {
    expect(await provider.unknownWords(['billing', 'Technical support', 'zorblax'])).toEqual(['zorblax']);
  });

  it('writes each phrase once as a JSGF alternative', () => {
    expect(jsgfGrammar(['Billing!', 'technical  support', 'billing'])).toBe(
      '#JSGF V1.0;\ngrammar menu;\npublic <menu> = ( billing ) | ( technical support ) ;\n',
    );
  });

  it('reports a missing binary as an unavailable provider, with what to install', async () => {
    const missing = new PocketsphinxProvider({ ...settings, command: 'no-such-pocketsphinx' });
    const c = collect();
    const stream = missing.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, await prompt16k('queue-thankyou'));
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_UNAVAILABLE']);
    expect(c.errors[0]!.message).toMatch(/install the Debian packages pocketsphinx/);
  });

  it('reports a model that cannot be loaded as a failure with pocketsphinx’s own error', async () => {
    const broken = new PocketsphinxProvider({ ...settings, lm: '/nonexistent/en-us.lm.bin' });
    const c = collect();
    const stream = broken.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, await prompt16k('queue-thankyou'));
    await stream.end();
    expect(c.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_FAILED']);
    expect(c.errors[0]!.message).toMatch(/pocketsphinx/);
  });

  it('stops at once on abort, leaving no process or FIFO behind and no further results', async () => {
    const before = await leftovers();
    const c = collect();
    const stream = provider.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, await prompt16k('queue-thankyou'));
    stream.abort();
    await stream.end();
    expect(c.results).toEqual([]);
    expect(c.errors).toEqual([]);
    expect(await leftovers()).toEqual(before);
  });

  it('starts no recogniser for a party that only sends silence', async () => {
    const missing = new PocketsphinxProvider({ ...settings, command: 'no-such-pocketsphinx' });
    const c = collect();
    const stream = missing.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, silence(2000, 16000));
    await stream.end();
    // A started one would have failed: the command does not exist.
    expect(c.errors).toEqual([]);
    expect(c.results).toEqual([]);
  });

  it('under load, starts a party’s recogniser as the stream opens, before any speech', async () => {
    const missing = new PocketsphinxProvider({
      ...settings,
      command: 'no-such-pocketsphinx',
      underLoad: { aboveStreams: 1, args: [...FAST_DICTATION_ARGS] },
    });
    const quiet = collect();
    const quietStream = missing.start({ language: 'en-US', sampleRate: 16000 }, quiet.listener);
    const busy = collect();
    const busyStream = missing.start({ language: 'en-US', sampleRate: 16000 }, busy.listener);
    feed(quietStream, silence(500, 16000));
    feed(busyStream, silence(500, 16000));
    await Promise.all([quietStream.end(), busyStream.end()]);
    // Only the second stream, opened with one already open, started one (and the command is missing).
    expect(quiet.errors).toEqual([]);
    expect(busy.errors.map((e) => e.code)).toEqual(['TRANSCRIPTION_PROVIDER_UNAVAILABLE']);
  });

  it('takes its recogniser from the warm stock, which is topped up again and emptied on close', async () => {
    const warm = new PocketsphinxProvider({ ...settings, warmProcesses: 1 });
    const before = await leftovers();
    await warm.warmUp();
    expect((await leftovers()).length).toBe(before.length + 1);
    const c = collect();
    const stream = warm.start({ language: 'en-US', sampleRate: 16000 }, c.listener);
    feed(stream, concat([await prompt16k('queue-thankyou'), silence(800, 16000)]));
    await stream.end();
    expect(c.results.map((r) => r.text)).toContain('thank you for your patience');
    await warm.warmUp();
    expect((await leftovers()).length).toBe(before.length + 1);
    await warm.close();
    expect(await leftovers()).toEqual(before);
  });

  it('speaks English only', () => {
    expect(provider.supports('en-US')).toBe(true);
    expect(provider.supports('en')).toBe(true);
    expect(provider.supports('cmn-Hans-CN')).toBe(false);
    expect(provider.inputRate()).toBe(16000);
  });
});
