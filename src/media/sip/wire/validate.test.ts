import { describe, expect, it } from 'vitest';
import { scanMessage } from './scan.js';
import { checkRequest, checkResponse } from './validate.js';

function request(first: string, headers: string[] = [], body = ''): string {
  const base = [
    'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx',
    'From: <sip:a@b>;tag=1',
    'To: <sip:c@d>',
    'Call-ID: x',
    'Max-Forwards: 70',
  ];
  const method = first.split(' ')[0]!;
  const all = [
    ...base,
    ...(headers.some((h) => h.startsWith('CSeq')) ? [] : [`CSeq: 1 ${method}`]),
    ...headers,
  ];
  return [first, ...all, `Content-Length: ${body.length}`, '', body].join('\r\n');
}

function refusal(text: string, datagram = true) {
  const result = checkRequest(scanMessage(text)!, datagram);
  return result.ok ? null : result.refusal;
}

describe('request checks before sip.js', () => {
  it('lets a well-formed request through', () => {
    expect(checkRequest(scanMessage(request('OPTIONS sip:1000@h SIP/2.0'))!, true)).toMatchObject({
      ok: true,
      line: { method: 'OPTIONS' },
    });
  });

  it('wants a strict request line, and SIP/2.0', () => {
    for (const line of [
      'OPTIONS  sip:a@b SIP/2.0',
      'OPTIONS sip:a@b SIP/2.0 ',
      'INVITE <sip:a@b> SIP/2.0',
      'INVITE sip:a@b; lr SIP/2.0',
    ]) {
      expect(refusal(request(line))?.status).toBe(400);
    }
    expect(refusal(request('OPTIONS sip:a@b SIP/7.0'))?.status).toBe(505);
    expect(refusal('hello world\r\n\r\n')).toBeNull();
  });

  it('refuses methods it does not do: 405 for known ones, 501 for the rest, both with Allow', () => {
    expect(refusal(request('SUBSCRIBE sip:a@b SIP/2.0'))).toMatchObject({
      status: 405,
      headers: [expect.stringMatching(/^Allow: INVITE/)],
    });
    expect(refusal(request('NEWMETHOD sip:a@b SIP/2.0'))).toMatchObject({ status: 501 });
  });

  it('refuses unsupported URI schemes (416) and header fields in the Request-URI (400)', () => {
    expect(refusal(request('OPTIONS tel:+15550100 SIP/2.0'))?.status).toBe(416);
    expect(refusal(request('OPTIONS sips:a@b SIP/2.0'))?.status).toBe(416);
    expect(refusal(request('INVITE sip:a@b?Route=%3Csip:x%3E SIP/2.0'))?.status).toBe(400);
    expect(refusal(request('OPTIONS sip:we?ird@b SIP/2.0'))).toBeNull();
  });

  it('wants each single header once, the required ones present, and a sane CSeq', () => {
    expect(refusal(request('OPTIONS sip:a@b SIP/2.0', ['Call-ID: y']))?.reason).toMatch(/Repeated call-id/);
    expect(
      refusal('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCSeq: 1 OPTIONS\r\n\r\n')?.reason,
    ).toMatch(/Missing from/);
    expect(refusal(request('OPTIONS sip:a@b SIP/2.0', ['CSeq: 1 INVITE']))?.status).toBe(400);
    expect(refusal(request('OPTIONS sip:a@b SIP/2.0', ['CSeq: 36893488147419103232 OPTIONS']))?.status).toBe(
      400,
    );
  });

  it('refuses a datagram shorter than its Content-Length, but not a stream message', () => {
    const text = request('OPTIONS sip:a@b SIP/2.0').replace('Content-Length: 0', 'Content-Length: 50');
    expect(refusal(text, true)?.status).toBe(400);
    expect(refusal(text, false)).toBeNull();
  });

  it('refuses a required extension (420, naming it) and a body it cannot read (415)', () => {
    expect(refusal(request('OPTIONS sip:a@b SIP/2.0', ['Require: 100rel, foo']))).toMatchObject({
      status: 420,
      headers: ['Unsupported: 100rel, foo'],
    });
    expect(
      refusal(request('INVITE sip:a@b SIP/2.0', ['Contact: <sip:a@b>', 'Content-Type: text/plain'], 'hello')),
    ).toMatchObject({
      status: 415,
      headers: ['Accept: application/sdp'],
    });
    expect(
      refusal(request('INFO sip:a@b SIP/2.0', ['Content-Type: application/dtmf-relay'], 'Signal=1')),
    ).toBeNull();
  });

  it('refuses an INVITE whose Accept rules out SDP (406)', () => {
    expect(refusal(request('INVITE sip:a@b SIP/2.0', ['Accept: text/plain'], ''))?.status).toBe(406);
    expect(refusal(request('INVITE sip:a@b SIP/2.0', ['Accept: application/*'], ''))).toBeNull();
  });
});

describe('response checks', () => {
  it('drops responses with absurd status codes or CSeq numbers', () => {
    const ok =
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n';
    expect(checkResponse(scanMessage(ok)!)).toBe(true);
    expect(checkResponse(scanMessage(ok.replace('200 OK', '4294967301 big'))!)).toBe(false);
    expect(checkResponse(scanMessage(ok.replace('CSeq: 1', 'CSeq: 9292394834772304023312'))!)).toBe(false);
  });
});
