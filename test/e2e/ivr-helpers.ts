// Shared by the IVR end-to-end tests and bench:ivr: sipp callers that press keys with RFC 2833
// DTMF (the pcaps sipp ships) at given moments, and reading a call's IVR trail from call_events.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/store/index.js';
import { startSipp, workDir, type SippRun } from '../sipp/harness.js';

export type CallerAction =
  | { pause: number }
  /** One key, sent as RFC 2833 events from /usr/share/sip-tester/dtmf_2833_<key>.pcap. */
  | { dtmf: string }
  /** Starts sending a raw µ-law file as the caller's voice (sipp rtp_stream); see spokenMessage(). */
  | { speak: string }
  /** Plays a capture of RTP as the caller's voice (e.g. G.722 speech for a wideband caller). */
  | { playPcap: string };

const pcapName: Record<string, string> = { '*': 'star', '#': 'pound' };

/**
 * The shipped pcap of `key`, or for the nth press of a call a copy with the RTP timestamps and
 * sequence numbers moved on: a receiver (Asterisk's and ours) takes packets with the timestamp of
 * an event that already ended as copies of it, so replaying one pcap twice would be one press.
 */
export function dtmfPcap(key: string, press = 0): string {
  const shipped = `/usr/share/sip-tester/dtmf_2833_${pcapName[key] ?? key}.pcap`;
  if (press === 0) return shipped;
  const file = path.join(workDir, `dtmf-${pcapName[key] ?? key}-${press}.pcap`);
  if (existsSync(file)) return file;
  const pcap = Buffer.from(readFileSync(shipped));
  // pcap: 24-byte global header, then per packet a 16-byte record header and the frame
  // (Ethernet 14 + IPv4 20 + UDP 8 + RTP: seq at 2, timestamp at 4).
  for (let at = 24; at + 16 <= pcap.length;) {
    const length = pcap.readUInt32LE(at + 8);
    const rtp = at + 16 + 42;
    pcap.writeUInt16BE((pcap.readUInt16BE(rtp + 2) + press * 100) & 0xffff, rtp + 2);
    pcap.writeUInt32BE((pcap.readUInt32BE(rtp + 4) + press * 16_000) >>> 0, rtp + 4);
    at += 16 + length;
  }
  writeFileSync(file, pcap);
  return file;
}

/** `press('1', 3000)`: wait, then press; `keys('13', ...)` for several. */
export function pressAfter(ms: number, key: string): CallerAction[] {
  return [{ pause: ms }, { dtmf: key }];
}

const header = (from: string) => `
      From: "IVR Caller" <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>`;

/**
 * A sipp scenario: call, then the actions, then either hang up (`bye`) or wait for the hotline
 * to hang up (`wait-bye`, up to `waitMs`).
 */
export function callerScenario(options: {
  from: string;
  actions: CallerAction[];
  end: 'bye' | 'wait-bye';
  waitMs?: number;
  /** Offer G.722 (16 kHz) instead of PCMU. */
  wideband?: boolean;
}): string {
  let presses = 0;
  const steps = options.actions
    .map((a) =>
      'pause' in a
        ? `  <pause milliseconds="${a.pause}"/>`
        : 'speak' in a
          ? `  <nop><action><exec rtp_stream="${a.speak},1,0"/></action></nop>`
          : 'playPcap' in a
            ? `  <nop><action><exec play_pcap_audio="${a.playPcap}"/></action></nop>`
            : `  <nop><action><exec play_pcap_audio="${dtmfPcap(a.dtmf, presses++)}"/></action></nop>\n  <pause milliseconds="300"/>`,
    )
    .join('\n');
  const ending =
    options.end === 'bye'
      ? `  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport${header(options.from)}[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>`
      : `  <recv request="BYE" timeout="${options.waitMs ?? 60000}"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="IVR caller">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport${header(options.from)}
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${options.from}@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP ${options.wideband ? '9 101' : '0 101'}
      a=rtpmap:${options.wideband ? '9 G722' : '0 PCMU'}/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=ptime:20
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport${header(options.from)}[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
${steps}
${ending}
  <timewait milliseconds="200"/>
</scenario>
`;
}

/**
 * A spoken message as raw 8 kHz µ-law (what rtp_stream sends as it is, FACTS.md): espeak-ng
 * speaking `text`, padded with `silenceSeconds` of silence.
 */
export function spokenMessage(text: string, silenceSeconds = 0): string {
  const file = path.join(workDir, `message-${createHash('sha1').update(text).digest('hex').slice(0, 8)}.ul`);
  if (existsSync(file)) return file;
  const wav = `${file}.wav`;
  execFileSync('espeak-ng', ['-v', 'en-us', '-w', wav, text]);
  execFileSync('sox', [wav, '-r', '8000', '-c', '1', '-t', 'ul', file, 'pad', '0', String(silenceSeconds)]);
  return file;
}

let scenarios = 0;

/** Writes the scenario and starts one sipp caller (or `calls` of them, `rate` per second). */
export function startCaller(options: {
  sipPort: number;
  dialled: string;
  from: string;
  actions: CallerAction[];
  end: 'bye' | 'wait-bye';
  waitMs?: number;
  wideband?: boolean;
  calls?: number;
  rate?: number;
  concurrent?: number;
  timeoutSeconds?: number;
}): SippRun {
  const file = path.join(workDir, `ivr-caller-${process.pid}-${++scenarios}.xml`);
  writeFileSync(file, callerScenario(options));
  const calls = options.calls ?? 1;
  return startSipp({
    remotePort: options.sipPort,
    timeoutSeconds: options.timeoutSeconds ?? 60,
    args: [
      '-sf',
      file,
      '-s',
      options.dialled,
      '-m',
      String(calls),
      ...(options.rate ? ['-r', String(options.rate)] : []),
      ...(options.concurrent ? ['-l', String(options.concurrent)] : []),
    ],
  });
}

export interface TrailStep {
  step: string;
  verb: string;
  input?: string;
  result: string;
  next?: string | null;
  responseMs?: number;
  data?: Record<string, unknown>;
}

/** The IVR steps of a call, in order (call_events of type ivr.step). */
export async function trailOf(db: Db, callId: string): Promise<TrailStep[]> {
  const { rows } = await db.query<{ data: TrailStep }>(
    `SELECT data FROM call_events WHERE call_id = $1 AND type = 'ivr.step' ORDER BY at, id`,
    [callId],
  );
  return rows.map((r) => r.data);
}

/** Calls from a caller number, newest first. */
export async function callsFrom(
  db: Db,
  number: string,
): Promise<
  {
    id: string;
    outcome: string | null;
    ended_at: Date | null;
    language: string | null;
    data: Record<string, unknown>;
  }[]
> {
  const { rows } = await db.query(
    'SELECT id, outcome, ended_at, language, data FROM calls WHERE caller_number = $1 ORDER BY started_at DESC',
    [number],
  );
  return rows as never;
}

/** Polls `check` until it returns something truthy (no fixed sleeps; bounded). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
