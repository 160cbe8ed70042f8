import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLanguages } from '../languages.js';
import { TtsCache } from '../tts/cache.js';
import type { TtsProvider } from '../tts/contract.js';
import { FakeChannel } from '../testing/fakes.js';
import { FilePromptSources } from './file-sources.js';
import { ChannelPromptPlayer } from './prompts.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hotline-prompts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A TTS that only notes what it was asked (the real ones have their own tests). */
const spoken: string[] = [];
const provider: TtsProvider = {
  name: 'noted',
  voiceOf: (l) => l.espeakVoice,
  synthesize: (text, _l, file) => {
    spoken.push(text);
    writeFileSync(file, 'RIFF');
    return Promise.resolve();
  },
};

describe('prompts from disk and TTS', () => {
  it('plays a recorded prompt of the call language when the file exists, else speaks the text', async () => {
    const prompts = path.join(dir, 'sounds');
    mkdirSync(path.join(prompts, 'zh'), { recursive: true });
    writeFileSync(path.join(prompts, 'zh', 'welcome.wav'), 'RIFF');
    const tts = new TtsCache({ dir: path.join(dir, 'tts'), provider, languages: defaultLanguages });
    const sources = new FilePromptSources(prompts, tts);
    let language = 'zh';
    const player = new ChannelPromptPlayer({
      channel: new FakeChannel(),
      sources,
      languages: defaultLanguages,
      language: () => language,
      root: () => ({}),
    });
    const item = [{ say: { zh: '欢迎', en: 'Welcome' }, sound: 'welcome' }];
    expect(await player.resolve(item)).toEqual(['sound:welcome']);
    language = 'en';
    const [media] = await player.resolve(item);
    expect(media).toBe(`sound:${path.join(dir, 'tts', tts.keyOf('Welcome', 'en'))}`);
    expect(spoken).toEqual(['Welcome']);
  });
});
