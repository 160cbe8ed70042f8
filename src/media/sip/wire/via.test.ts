import { describe, expect, it } from 'vitest';
import { readVia, stampVia, stripFlowParam, topViaOf } from './via.js';
import { responseTarget, targetOfUri } from '../transport/router.js';

describe('the top Via', () => {
  it('stamps received and rport on the first via-parm only, replacing what was there', () => {
    expect(stampVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;rport', '192.0.2.9', 40000)).toBe(
      'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;received=192.0.2.9;rport=40000',
    );
    expect(
      stampVia('SIP/2.0/UDP a;received=1.1.1.1;branch=x, SIP/2.0/UDP b;branch=y', '192.0.2.9', 1, 'udp'),
    ).toBe('SIP/2.0/UDP a;branch=x;received=192.0.2.9;rport=1;hotline-flow=udp, SIP/2.0/UDP b;branch=y');
  });

  it('reads transport, sent-by, branch, received and rport, even folded with odd spacing', () => {
    const via = readVia('SIP  /   2.0 /UDP    192.0.2.2;branch=390skdjuw;received=127.0.0.1;rport=5000');
    expect(via).toEqual({
      transport: 'UDP',
      host: '192.0.2.2',
      port: undefined,
      branch: '390skdjuw',
      received: '127.0.0.1',
      rport: 5000,
      flow: undefined,
    });
    expect(readVia('SIP/2.0/TCP [2001:db8::1]:5061;branch=b')).toMatchObject({
      host: '2001:db8::1',
      port: 5061,
    });
    expect(readVia('garbage')).toBeNull();
    const folded =
      'SIP/2.0 200 OK\r\nVia: SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=x\r\nCSeq: 1 INVITE\r\n\r\n';
    expect(readVia(topViaOf(folded)!)).toMatchObject({ transport: 'UDP', host: '192.0.2.2', branch: 'x' });
  });

  it('sends a response back on the flow its request came on, and never shows our marker', () => {
    const viaLine = (params: string) =>
      `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h:5070;branch=b;received=192.0.2.9;rport=4000${params}\r\n\r\n`;
    expect(responseTarget(viaLine(';hotline-flow=udp'))).toMatchObject({
      transport: 'udp',
      address: '192.0.2.9',
      port: 4000,
    });
    expect(responseTarget(viaLine(';hotline-flow=tcp.7'))).toMatchObject({
      transport: 'tcp',
      connection: 7,
      port: 4000,
      fallbackPort: 5070,
    });
    expect(responseTarget(viaLine(''))).toMatchObject({ transport: 'tcp', port: 4000 });
    expect(stripFlowParam(viaLine(';hotline-flow=tcp.7'))).toBe(viaLine(''));
  });

  it('finds the next hop of a SIP URI', () => {
    expect(targetOfUri('sip:alice@192.0.2.4:5070;transport=TCP')).toEqual({
      host: '192.0.2.4',
      port: 5070,
      transport: 'tcp',
    });
    expect(targetOfUri('sip:carrier.example')).toEqual({
      host: 'carrier.example',
      port: 5060,
      transport: 'udp',
    });
    expect(targetOfUri('sip:x@[2001:db8::2];maddr=192.0.2.5')).toEqual({
      host: '192.0.2.5',
      port: 5060,
      transport: 'udp',
    });
    expect(targetOfUri('tel:+15550100')).toBeNull();
  });
});
