// RFC 4475's 49 torture messages, byte for byte, over UDP and over TCP: each gets the response a
// UAS owes it (or none), the server keeps serving a normal call, and every registry empties.
import { sharedDir } from '../../scripts/shared-dir.mjs';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IDLE,
  runSipp,
  startTestServer,
  statuses,
  tcpExchange,
  udpExchange,
  waitForIdle,
  type TestServer,
} from '../sipp/harness.js';

const TORTURE_DIR = sharedDir('sip-torture', 'rfc4475');

/**
 * What a UAS answers each message with (RFC 4475 and the table in the folder's README); [] when
 * it must be dropped or absorbed. 100 Trying is left out. Our stand-in core serves only 1000,
 * so INVITEs that reach it get 404; REGISTERs are challenged (401) before anything else.
 */
const EXPECTED_UDP: Record<string, number[]> = {
  // 3.1.1 valid
  wsinv: [481], // an INVITE with a To tag for a dialog that does not exist
  intmeth: [501],
  esc01: [404],
  escnull: [401],
  esc02: [501], // RE%47IST%45R is not REGISTER
  lwsdisp: [200],
  longreq: [404],
  dblreq: [401], // over UDP the INVITE after the REGISTER is past Content-Length: ignored
  semiuri: [200],
  transports: [200],
  mpart01: [405],
  unreason: [],
  noreason: [],
  // 3.1.2 invalid
  badinv01: [400],
  clerr: [400],
  ncl: [400], // negative Content-Length
  scalar02: [400],
  scalarlg: [],
  quotbal: [400],
  ltgtruri: [400],
  lwsruri: [400],
  lwsstart: [400],
  trws: [400],
  escruri: [400],
  baddate: [404], // the bad Date is tolerated
  regbadct: [400],
  badaspec: [400],
  baddn: [400],
  badvers: [505],
  mismatch01: [400],
  mismatch02: [501],
  bigcode: [],
  // 3.2 transaction layer
  badbranch: [200],
  // 3.3 application layer
  insuf: [400],
  unkscm: [416],
  novelsc: [416],
  unksm2: [400], // a registrar wants a SIP URI as the address of record
  bext01: [420],
  invut: [415],
  regaut01: [401], // an unknown Authorization scheme is answered with our challenge
  multi01: [400],
  mcl01: [400],
  bcast: [],
  zeromf: [200], // Max-Forwards 0 only matters to proxies
  cparam01: [401],
  cparam02: [401],
  regescrt: [401],
  sdp01: [406],
  // 3.4 backward compatibility
  inv2543: [404],
};

/** On a stream the framing differs: these wait for bytes that never come, or carry a second request. */
const EXPECTED_TCP: Record<string, number[]> = {
  ...EXPECTED_UDP,
  clerr: [], // Content-Length past the end: the stream waits for the rest
  baddn: [], // no blank line: the headers never end
  dblreq: [401, 404], // on a stream the INVITE is a second message
  // No Content-Length, which streams require (RFC 3261 §18.3): the INVITE ends at its headers,
  // so it carries no offer (488) and its SDP is left as the start of a message that never ends.
  inv2543: [488],
};

const messages = readdirSync(TORTURE_DIR)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => ({ name: path.basename(f, '.dat'), data: readFileSync(path.join(TORTURE_DIR, f)) }));

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    numbers: ['1000'],
    sip: { endpoints: [{ name: 'agent1', password: 'secret1' }] },
  });
});
afterAll(() => t.stop());

const unique = (codes: number[]) => [...new Set(codes.filter((c) => c !== 100))];

describe('RFC 4475 torture messages', () => {
  it('has an expectation for each of the 49 messages', () => {
    expect(messages).toHaveLength(49);
    expect(messages.map((m) => m.name).sort()).toEqual(Object.keys(EXPECTED_UDP).sort());
  });

  it('answers each over UDP as a UAS should', async () => {
    const got = await Promise.all(
      messages.map(async (m) => [m.name, unique(statuses(await udpExchange(t.port, m.data, 600)))]),
    );
    const actual = Object.fromEntries(got) as Record<string, number[]>;
    expect(
      Object.keys(actual)
        .filter((k) => JSON.stringify(actual[k]) !== JSON.stringify(EXPECTED_UDP[k]))
        .map((k) => `${k}: ${JSON.stringify(actual[k])}`),
    ).toEqual([]);
  });

  it('answers each over TCP as a UAS should, and closes every connection', async () => {
    // The UDP round's INVITEs wait out Timer H first: the same requests again would be merged (482).
    expect(await waitForIdle(t.server)).toEqual(IDLE);
    const got = await Promise.all(
      messages.map(async (m) => [m.name, unique(statuses(await tcpExchange(t.port, m.data, 600)))]),
    );
    const actual = Object.fromEntries(got) as Record<string, number[]>;
    expect(
      Object.keys(actual)
        .filter((k) => JSON.stringify(actual[k]) !== JSON.stringify(EXPECTED_TCP[k]))
        .map((k) => `${k}: ${JSON.stringify(actual[k])}`),
    ).toEqual([]);
    expect(await waitForIdle(t.server)).toEqual(IDLE);
  });

  it('still takes a normal call over UDP and TCP afterwards, and leaves nothing behind', async () => {
    const udp = await runSipp(t.port, ['-sn', 'uac', '-s', '1000', '-m', '1']);
    expect(udp.code, udp.output).toBe(0);
    const tcp = await runSipp(t.port, ['-sn', 'uac', '-s', '1000', '-m', '1', '-t', 't1']);
    expect(tcp.code, tcp.output).toBe(0);
    expect(await waitForIdle(t.server)).toEqual(IDLE);
  });
});
