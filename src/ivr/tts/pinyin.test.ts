import { describe, expect, it } from 'vitest';
import { hasChinese, toPinyin } from './pinyin.js';

describe('Chinese text to tone-numbered pinyin', () => {
  it('writes each character as a syllable with its tone number', () => {
    expect(toPinyin('欢迎致电')).toBe('huan1 ying2 zhi4 dian4');
  });

  it('reads numbers in Mandarin (3 → san1, 12 → shi2 er4)', () => {
    expect(toPinyin('请按1')).toBe('qing3 an4 yi1');
    expect(toPinyin('您排在第12位')).toBe('nin2 pai2 zai4 di4 shi2 er4 wei4');
  });

  it('reads long digit strings (phone numbers) digit by digit', () => {
    expect(toPinyin('400800')).toBe('si4 ling2 ling2 ba1 ling2 ling2');
  });

  it('turns Chinese punctuation into pauses and writes ü as v', () => {
    expect(toPinyin('绿色，女士。')).toBe('lv4 se4, nv3 shi4.');
  });

  it('keeps Latin words as they are', () => {
    expect(toPinyin('尊敬的VIP客户')).toBe('zun1 jing4 de0 VIP ke4 hu4');
  });

  it('tells Chinese text from other text', () => {
    expect(hasChinese('Press 1')).toBe(false);
    expect(hasChinese('按1')).toBe(true);
  });
});
