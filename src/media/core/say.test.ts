import { describe, expect, it } from 'vitest';
import {
  NumberTooBig,
  parseSayNumber,
  sayCharacters,
  sayDigits,
  sayNumberEnglish,
  sayNumberMandarin,
} from './say.js';

const files = (list: string[]) => list.map((f) => f.replace('digits/', ''));

describe('saying numbers, digits and characters', () => {
  it('says digits one by one with star, pound and minus prompts', () => {
    expect(sayDigits('12#*-x')).toEqual([
      'digits/1',
      'digits/2',
      'digits/pound',
      'digits/star',
      'digits/minus',
    ]);
  });

  it('spells characters with letters/ and digits/ prompts', () => {
    expect(sayCharacters('Ab1 @')).toEqual([
      'letters/a',
      'letters/b',
      'digits/1',
      'letters/space',
      'letters/at',
    ]);
  });

  it('says English numbers as Asterisk does (no "and")', () => {
    expect(files(sayNumberEnglish(0))).toEqual(['0']);
    expect(files(sayNumberEnglish(15))).toEqual(['15']);
    expect(files(sayNumberEnglish(42))).toEqual(['40', '2']);
    expect(files(sayNumberEnglish(100))).toEqual(['1', 'hundred']);
    expect(files(sayNumberEnglish(1234))).toEqual(['1', 'thousand', '2', 'hundred', '30', '4']);
    expect(files(sayNumberEnglish(2_000_019))).toEqual(['2', 'million', '19']);
    expect(files(sayNumberEnglish(-7))).toEqual(['minus', '7']);
    expect(() => sayNumberEnglish(1_000_000_000)).toThrow(NumberTooBig);
  });

  it('says Mandarin numbers with wan/yi groups and one zero for skipped places', () => {
    expect(files(sayNumberMandarin(15))).toEqual(['10', '5']);
    expect(files(sayNumberMandarin(105))).toEqual(['1', 'hundred', '0', '5']);
    expect(files(sayNumberMandarin(110))).toEqual(['1', 'hundred', '10']);
    expect(files(sayNumberMandarin(1005))).toEqual(['1', 'thousand', '0', '5']);
    expect(files(sayNumberMandarin(10005))).toEqual(['1', 'wan', '0', '5']);
    expect(files(sayNumberMandarin(100000))).toEqual(['10', 'wan']);
    expect(files(sayNumberMandarin(123456789))).toEqual([
      '1',
      'yi',
      '2',
      'thousand',
      '3',
      'hundred',
      '40',
      '5',
      'wan',
      '6',
      'thousand',
      '7',
      'hundred',
      '80',
      '9',
    ]);
    expect(files(sayNumberMandarin(100000005))).toEqual(['1', 'yi', '0', '5']);
  });

  it('reads number: like sscanf %d', () => {
    expect(parseSayNumber(' 42abc')).toBe(42);
    expect(parseSayNumber('-3')).toBe(-3);
    expect(parseSayNumber('abc')).toBeNull();
  });
});
