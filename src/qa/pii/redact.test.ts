import { describe, expect, it } from 'vitest';
import { cnIdValid, luhnValid } from './checksums.js';
import { findPii, redact } from './redact.js';

describe('PII redaction', () => {
  it('redacts Luhn-valid card numbers written with spaces or dashes, and leaves other numbers', () => {
    expect(redact('my card is 4111 1111 1111 1111.').text).toBe('my card is [CARD].');
    expect(redact('卡号5500-0000-0000-0004').text).toBe('卡号[CARD]');
    expect(redact('order 4111 1111 1111 1112 arrived').text).toBe('order 4111 1111 1111 1112 arrived');
    expect(luhnValid('4111111111111111')).toBe(true);
  });

  it('redacts Chinese mobiles in ASCII, full-width and Chinese numerals, with or without +86', () => {
    expect(redact('电话13800138000').text).toBe('电话[PHONE]');
    expect(redact('电话：＋８６ １３８ ００１３ ８０００').text).toBe('电话：[PHONE]');
    expect(redact('我的号码是幺三八零零幺三八零零零').text).toBe('我的号码是[PHONE]');
  });

  it('redacts international and North American phone numbers and Chinese landlines', () => {
    expect(redact('call +44 20 7946 0958 or (415) 555-0100').text).toBe('call [PHONE] or [PHONE]');
    expect(redact('座机010-12345678').text).toBe('座机[PHONE]');
  });

  it('redacts PRC ID numbers only with a valid checksum, and US SSNs', () => {
    expect(cnIdValid('11010519491231002X')).toBe(true);
    expect(redact('身份证11010519491231002X').text).toBe('身份证[ID]');
    expect(redact('身份证110105194912310021').text).toBe('身份证110105194912310021');
    expect(redact('SSN 123-45-6789').text).toBe('SSN [ID]');
  });

  it('redacts e-mail addresses', () => {
    expect(redact('write to zhang.san+qa@mail.example.cn please').text).toBe('write to [EMAIL] please');
  });

  it('leaves dates, amounts and short numbers alone', () => {
    const text = 'on 2026-11-24 we charged 300.50 for order 12345';
    expect(findPii(text)).toEqual([]);
  });
});
