import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaResolver } from './media-uri.js';
import { StoredRecordings } from './recordings.js';
import { SoundLibrary } from './sounds.js';

describe('media URIs', () => {
  let dir: string;
  let resolver: MediaResolver;
  let sounds: SoundLibrary;
  const en = { language: 'en', sampleRate: 8000 };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-media-'));
    for (const f of [
      's/en/hello-world.wav',
      's/en/hello-world.g722',
      's/en/digits/1.wav',
      's/en/digits/hundred.wav',
      's/zh/hello-world.wav',
      'r/calls/abc.wav',
    ]) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'RIFF');
    }
    sounds = new SoundLibrary([path.join(dir, 's')]);
    resolver = new MediaResolver(sounds, new StoredRecordings(path.join(dir, 'r')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a prompt in the language folder, preferring G.722 for a wideband call', () => {
    expect(resolver.resolve('sound:hello-world', en)).toMatchObject({
      kind: 'play',
      controllable: true,
      entry: { items: [{ kind: 'file', path: path.join(dir, 's/en/hello-world.wav') }] },
    });
    expect(resolver.resolve('sound:hello-world', { language: 'zh', sampleRate: 8000 })).toMatchObject({
      entry: { items: [{ path: path.join(dir, 's/zh/hello-world.wav') }] },
    });
    expect(resolver.resolve('sound:hello-world', { language: 'en', sampleRate: 16000 })).toMatchObject({
      entry: { items: [{ path: path.join(dir, 's/en/hello-world.g722') }] },
    });
  });

  it('falls back from en_US to en, and refuses names that climb out of the folder', () => {
    expect(resolver.resolve('sound:hello-world', { language: 'en_US', sampleRate: 8000 }).kind).toBe('play');
    expect(resolver.resolve('sound:../s/en/hello-world', en).kind).toBe('missing');
  });

  it('reports a missing prompt (the playback fails) apart from an unknown scheme (it is skipped)', () => {
    expect(resolver.resolve('sound:no-such-prompt', en)).toEqual({ kind: 'missing', controllable: true });
    expect(resolver.resolve('bogus:thing', en)).toEqual({ kind: 'unsupported' });
    expect(resolver.resolve('recording:no-such', en)).toEqual({ kind: 'unsupported' });
    expect(resolver.resolve('number:abc', en)).toEqual({ kind: 'unsupported' });
  });

  it('plays stored recordings, and says numbers skipping prompts that are missing', () => {
    expect(resolver.resolve('recording:calls/abc', en)).toMatchObject({
      kind: 'play',
      entry: { items: [{ path: path.join(dir, 'r/calls/abc.wav') }] },
    });
    const hundred = resolver.resolve('number:100', en);
    expect(hundred).toMatchObject({ kind: 'play', controllable: false });
    expect(
      hundred.kind === 'play' &&
        hundred.entry.items.map((i) => (i.kind === 'file' ? path.basename(i.path) : i.kind)),
    ).toEqual(['1.wav', 'hundred.wav']);
    expect(resolver.resolve('number:2000000000', en)).toEqual({ kind: 'missing', controllable: false });
  });

  it('turns tone: names into tones', () => {
    expect(resolver.resolve('tone:ring', en)).toMatchObject({
      kind: 'play',
      entry: { items: [{ kind: 'tone', tone: '440+480/2000,0/4000' }] },
    });
  });

  it('lists sounds with their languages and formats as Asterisk names them', () => {
    expect(sounds.get('hello-world')).toEqual({
      id: 'hello-world',
      formats: expect.arrayContaining([
        { language: 'en', format: 'slin' },
        { language: 'en', format: 'g722' },
        { language: 'zh', format: 'slin' },
      ]) as unknown,
    });
    expect(sounds.list({ lang: 'en' }).map((s) => s.id)).toEqual([
      'digits/1',
      'digits/hundred',
      'hello-world',
    ]);
    expect(sounds.get('nope')).toBeNull();
  });
});
