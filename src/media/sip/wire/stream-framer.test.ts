import { describe, expect, it } from 'vitest';
import { StreamFramer } from './stream-framer.js';

const message = (body = '') =>
  `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

const texts = (frames: ReturnType<StreamFramer['push']>) =>
  frames.map((f) =>
    f.kind === 'message' ? f.data.toString('latin1') : f.kind === 'error' ? `error:${f.reason}` : f.kind,
  );

describe('TCP stream framing', () => {
  it('cuts messages by Content-Length, however the bytes arrive', () => {
    const framer = new StreamFramer(65_535);
    const stream = Buffer.from(message('hello') + message() + message('x'), 'latin1');
    const seen: string[] = [];
    for (let i = 0; i < stream.length; i += 7) seen.push(...texts(framer.push(stream.subarray(i, i + 7))));
    expect(seen).toEqual([message('hello'), message(), message('x')]);
    expect(framer.pending).toBe(0);
  });

  it('answers a CRLFCRLF keep-alive ping and skips CRLF pongs between messages', () => {
    const framer = new StreamFramer(65_535);
    expect(texts(framer.push(Buffer.from('\r\n\r\n')))).toEqual(['ping']);
    expect(texts(framer.push(Buffer.from(`\r\n${message()}`)))).toEqual([message()]);
  });

  it('holds an incomplete message until the rest arrives', () => {
    const framer = new StreamFramer(65_535);
    const whole = message('0123456789');
    expect(texts(framer.push(Buffer.from(whole.slice(0, -3))))).toEqual([]);
    expect(framer.pending).toBeGreaterThan(0);
    expect(texts(framer.push(Buffer.from(whole.slice(-3))))).toEqual([whole]);
  });

  it('takes a missing Content-Length as no body', () => {
    const framer = new StreamFramer(65_535);
    const head = 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n';
    expect(texts(framer.push(Buffer.from(head + head)))).toEqual([head, head]);
  });

  it('gives up on a stream with a bad or doubled Content-Length, and stays given up', () => {
    const bad = new StreamFramer(65_535);
    expect(texts(bad.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -5\r\n\r\n')))).toEqual([
      'error:bad-content-length',
    ]);
    expect(texts(bad.push(Buffer.from(message())))).toEqual([]);
    const doubled = new StreamFramer(65_535);
    expect(
      texts(doubled.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nl: 13\r\nContent-Length: 5\r\n\r\n'))),
    ).toEqual(['error:bad-content-length']);
  });

  it('refuses a message larger than the limit, whether its headers or its body are too long', () => {
    const headers = new StreamFramer(100);
    expect(texts(headers.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'a'.repeat(200)}`)))).toEqual([
      'error:too-large',
    ]);
    const body = new StreamFramer(100);
    expect(texts(body.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n')))).toEqual([
      'error:too-large',
    ]);
  });
});
