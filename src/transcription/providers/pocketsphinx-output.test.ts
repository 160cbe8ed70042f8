import { describe, expect, it } from 'vitest';
import { resultOf, SphinxOutputParser, type SphinxUtterance } from './pocketsphinx-output.js';

// Captured from pocketsphinx_continuous -time yes (Debian 0.8+5prealpha) on two spoken sentences.
const captured = [
  'i would like to the status of order please',
  '<s> 9.370 9.450 0.999200',
  'i 9.460 9.600 0.603772',
  '<sil> 9.610 9.710 0.775824',
  'would 9.720 10.260 0.341323',
  'like 10.270 10.340 0.175942',
  'to 10.350 10.710 0.143270',
  'the(2) 10.720 10.940 0.014261',
  'status 10.950 11.170 0.989950',
  '[NOISE] 11.180 11.200 0.5',
  'of 11.210 11.410 0.214708',
  'order 11.420 11.690 0.004428',
  'please 11.700 12.110 0.001149',
  '</s> 12.120 12.260 1.000000',
  '',
  '<s> 13.000 13.100 1.000000',
  '<sil> 13.100 13.500 1.000000',
  '</s> 13.500 13.600 1.000000',
  'thank you',
  '<s> 20.000 20.100 1.000000',
  'thank 20.110 20.300 0.9',
  'you 20.310 20.500 0.7',
  '</s> 20.510 20.600 1.000000',
].join('\n');

function parseAll(chunks: string[]): SphinxUtterance[] {
  const out: SphinxUtterance[] = [];
  const parser = new SphinxOutputParser((u) => out.push(u));
  for (const c of chunks) parser.push(c);
  parser.end();
  return out;
}

describe('pocketsphinx output', () => {
  it('splits the output into one utterance per hypothesis with its timed words', () => {
    const utterances = parseAll([captured + '\n']);
    expect(utterances.map((u) => u.hyp)).toEqual([
      'i would like to the status of order please',
      '',
      'thank you',
    ]);
    expect(utterances[0]!.words).toHaveLength(13);
    expect(utterances[2]!.words[1]).toEqual({ word: 'thank', startMs: 20110, endMs: 20300, posterior: 0.9 });
  });

  it('completes an utterance whose words do not end with </s> once the output goes quiet', () => {
    const out: SphinxUtterance[] = [];
    const parser = new SphinxOutputParser((u) => out.push(u));
    parser.push('want a refund\nwant 1.000 1.200 0.9\na 1.210 1.300 0.8\n');
    parser.push('refund 1.310 1.700 0.7\n');
    expect(out).toEqual([]);
    parser.quiet();
    expect(out.map((u) => [u.hyp, u.words.length])).toEqual([['want a refund', 3]]);
  });

  it('does not cut a line in two when the output goes quiet in the middle of it', () => {
    const out: SphinxUtterance[] = [];
    const parser = new SphinxOutputParser((u) => out.push(u));
    parser.push('thank you\nthank 1.000 1.200 0.9\nyou 1.2');
    parser.quiet();
    expect(out).toEqual([]);
    parser.push('10 1.400 0.8\n');
    parser.quiet();
    expect(out[0]!.words.map((w) => w.word)).toEqual(['thank', 'you']);
  });

  it('gives the same utterances however the output is chunked', () => {
    const whole = parseAll([captured]);
    const pieces: string[] = [];
    for (let i = 0; i < captured.length; i += 7) pieces.push(captured.slice(i, i + 7));
    expect(parseAll(pieces)).toEqual(whole);
  });

  it('turns an utterance into a final result timed by its spoken words, fillers left out', () => {
    const [first] = parseAll([captured]);
    const result = resultOf(first!, 'en-US');
    expect(result).toMatchObject({
      text: 'i would like to the status of order please',
      startMs: 9460,
      endMs: 12110,
      final: true,
      language: 'en-US',
    });
    expect(result!.confidence).toBeGreaterThan(0);
    expect(result!.confidence).toBeLessThan(1);
  });

  it('gives no result for an utterance with only silence in it', () => {
    const [, silence] = parseAll([captured]);
    expect(resultOf(silence!, 'en-US')).toBeNull();
  });

  it('keeps word lines that come without a hypothesis line', () => {
    const [u] = parseAll(['<s> 0.000 0.100 1.0\nhello 0.100 0.500 0.8\n</s> 0.500 0.600 1.0\n']);
    expect(resultOf(u!, 'en-US')).toMatchObject({ text: 'hello', startMs: 100, endMs: 500, confidence: 0.8 });
  });
});
