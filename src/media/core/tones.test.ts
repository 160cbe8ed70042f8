import { describe, expect, it } from 'vitest';
import { resolveTone } from './tones.js';

describe('tone: media', () => {
  it('knows the US indications by name, repeating', () => {
    expect(resolveTone('ring')).toEqual({ tone: '440+480/2000,0/4000' });
    expect(resolveTone('busy;tonezone=us')).toEqual({ tone: '480+620/500,0/500' });
  });

  it('gives a duration to tones that play once, so their playback ends', () => {
    expect(resolveTone('beep')).toEqual({ tone: '!1000/250', durationMs: 250 });
    expect(resolveTone('!950/330,!1400/330')).toEqual({ tone: '!950/330,!1400/330', durationMs: 660 });
  });

  it('refuses what is neither a name nor a tone string', () => {
    expect(resolveTone('no-such-tone')).toBeNull();
  });
});
