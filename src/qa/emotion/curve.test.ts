import { describe, expect, it } from 'vitest';
import { PreparedCall } from '../call.js';
import { Synonyms } from '../text/match.js';
import { callOf } from '../test-helpers.js';
import { analyseEmotion } from './curve.js';

const emotionOf = (lines: Parameters<typeof callOf>[0]) =>
  analyseEmotion(new PreparedCall(callOf(lines), new Synonyms()));

describe('call emotion', () => {
  it('detects a swing from calm to angry and draws the caller curve', () => {
    const e = emotionOf([
      ['caller', 'Hi, I would like to check my bill please.'],
      ['agent', 'Sure.'],
      ['caller', 'What? This is ridiculous and unacceptable! I am furious!!'],
      ['caller', 'I want to complain right now!!'],
    ]);
    expect(e.caller.curve).toHaveLength(3);
    expect(e.caller.swing).toMatchObject({ fromMs: 0 });
    expect(e.caller.negative).toBe(true);
    expect(e.caller.satisfaction).toBe('negative');
  });

  it('sees no swing in a caller who is pleased throughout (Chinese)', () => {
    const e = emotionOf([
      ['caller', '你好，我想问一下'],
      ['agent', '您好'],
      ['caller', '太好了，非常感谢，服务很好！'],
    ]);
    expect(e.caller.swing).toBeNull();
    expect(e.caller.negative).toBe(false);
    expect(e.caller.satisfaction).toBe('positive');
  });

  it('notes a caller who was angry and is calm again by the end', () => {
    const e = emotionOf([
      ['caller', '气死我了，你们太过分了！'],
      ['caller', '好的，谢谢，问题解决了，很满意'],
      ['caller', '谢谢你，辛苦了'],
    ]);
    expect(e.caller.recovered).toBe(true);
  });

  it('flags an agent whose tone is negative', () => {
    const e = emotionOf([
      ['agent', 'That is a stupid question, you idiot.'],
      ['caller', 'ok'],
    ]);
    expect(e.agent.negativeTone).toBe(true);
    expect(e.agent.negativeSegments[0]!.seq).toBe(0);
  });
});
