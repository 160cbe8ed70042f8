// Live transcription end to end on the embedded media server: two real sipp callers on wideband
// (G.722) legs, one the caller and one the agent, each saying known English sentences (espeak-ng);
// the test stands in for routing (answers both, bridges them, emits call.connected), Hotline's
// transcription forks each party over ARI (snoop + externalMedia) into pocketsphinx, and the
// stored segments of each party must contain that party's words. Afterwards nothing is left on
// the media server (channels, bridges, ports).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAri, type AriConnection, type Channel } from '../../src/ari/index.js';
import { configSchema } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { HotlineEvents } from '../../src/events.js';
import { silentLogger } from '../../src/logger.js';
import { recordCallStart } from '../../src/store/index.js';
import {
  startTranscription,
  transcriptOf,
  type TranscriptionService,
} from '../../src/transcription/index.js';
import { espeak, concat, silence, wordOverlap } from '../../src/transcription/testing/audio.js';
import { writeG722Pcap } from '../../src/transcription/testing/g722-pcap.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { EMPTY, startTestMediaServer, waitForEmpty, type TestMediaServer } from '../helpers/media.js';
import { testRedis, type TestRedis } from '../helpers/redis.js';
import { startSipp, workDir } from '../sipp/harness.js';

const CALLER_SAYS = 'I would like to check the status of my order please. Thank you very much.';
const AGENT_SAYS = 'Thank you for calling. Please hold the line while I check your account.';

/** A caller that offers only G.722, waits for the fork, plays its pcap, then waits for BYE. */
function scenario(pcap: string, playMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="wideband talker">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: "Talker" <sip:+15550123@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:talker@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=talker 1 1 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 9 101
a=rtpmap:9 G722/8000
a=rtpmap:101 telephone-event/8000
a=ptime:20
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: "Talker" <sip:+15550123@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
  <nop><action><exec play_pcap_audio="${pcap}"/></action></nop>
  <pause milliseconds="${playMs}"/>
  <recv request="BYE" timeout="30000"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
</scenario>`;
}

describe('live transcription on the embedded media server', () => {
  let t: TestDatabase;
  let r: TestRedis;
  let media: TestMediaServer;
  let ari: AriConnection;
  let service: TranscriptionService;
  let ctx: AppContext;
  const entered = new Map<string, Channel>();

  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
    media = await startTestMediaServer({ rtpTimeoutSeconds: 30 });
    const config = configSchema.parse({
      ...media.config,
      transcription: { rtpPortMin: 0, rtpPortMax: 0, wideband: 'always' },
    });
    ctx = { config, log: silentLogger, db: t.db, redis: r.redis, keys: r.keys, events: new HotlineEvents() };
    ari = await connectAri(
      { url: media.ariUrl, username: 'hotline', password: 'hotline', app: config.ari.app },
      silentLogger,
      { attempts: 5, delayMs: 200 },
    );
    ari.routeInbound(async (event, channel) => {
      await channel.answer();
      entered.set(event.args[0] ?? '', channel);
    });
    service = startTranscription(ctx, ari);
  });

  afterAll(async () => {
    await service?.stop();
    ari?.close();
    await media?.stop();
    await t?.drop();
    await r?.cleanup();
  });

  it('stores each party’s words as segments, and leaves nothing behind when the call ends', async () => {
    // Each talker: quiet while the call is set up and forked (a few seconds on a loaded machine),
    // the sentences, quiet after.
    const legs = [
      { number: '1000', says: CALLER_SAYS },
      { number: '1001', says: AGENT_SAYS },
    ];
    let playMs = 0;
    const runs = await Promise.all(
      legs.map(async (leg) => {
        const pcm = concat([silence(5000, 16000), await espeak(leg.says, 16000), silence(1500, 16000)]);
        playMs = Math.max(playMs, (pcm.length / 16000) * 1000);
        const pcap = path.join(workDir, `transcription-${leg.number}.pcap`);
        writeG722Pcap(pcap, pcm);
        const xml = path.join(workDir, `transcription-${leg.number}.xml`);
        writeFileSync(xml, scenario(pcap, Math.ceil((pcm.length / 16000) * 1000) + 500));
        return startSipp({
          remotePort: media.sipPort,
          args: ['-sf', xml, '-s', leg.number, '-m', '1'],
          timeoutSeconds: 60,
        });
      }),
    );
    await expect.poll(() => entered.size, { timeout: 10_000 }).toBe(2);
    const played = new Promise((resolve) => setTimeout(resolve, playMs + 1000));
    const caller = entered.get('1000')!;
    const agent = entered.get('1001')!;
    await recordCallStart(t.db, { id: caller.id, callerNumber: '+15550123', dialledNumber: '1000' });
    const bridge = await ari.client.bridges.create({ type: 'mixing' });
    await bridge.addChannel({ channel: [caller.id, agent.id] });
    ctx.events.emit('call.connected', {
      callId: caller.id,
      callerChannelId: caller.id,
      agentChannelId: agent.id,
      agent: 'agent1',
      queue: 'support',
      bridgeId: bridge.id,
      language: 'en',
    });
    await expect.poll(() => service.active(), { timeout: 10_000 }).toEqual([caller.id]);

    // Both talkers finish their sentences; then the call ends.
    await expect
      .poll(async () => (await transcriptOf(t.db, caller.id)).map((s) => s.party).sort(), {
        timeout: 40_000,
        interval: 250,
      })
      .toEqual(expect.arrayContaining(['agent', 'caller']));
    // The talkers hang up only once they have played everything (sipp expects the BYE then).
    await played;
    await caller.hangup();
    await agent.hangup();
    await bridge.destroy();
    ctx.events.emit('call.ended', { callId: caller.id, cause: 16, outcome: 'completed' });
    for (const run of runs) expect((await run.done).code).toBe(0);
    await expect.poll(() => service.active(), { timeout: 10_000 }).toEqual([]);

    const segments = await transcriptOf(t.db, caller.id);
    const said = (party: string) =>
      segments
        .filter((s) => s.party === party)
        .map((s) => s.text)
        .join(' ');
    // Offline recognition of synthetic speech is rough (docs/transcription.md): a share of each
    // party's words, and none of the other party's sentence attributed to it.
    expect(wordOverlap(CALLER_SAYS, said('caller'))).toBeGreaterThanOrEqual(0.3);
    expect(wordOverlap(AGENT_SAYS, said('agent'))).toBeGreaterThanOrEqual(0.3);
    for (const s of segments) {
      expect(s).toMatchObject({
        callId: caller.id,
        final: true,
        language: 'en-US',
        provider: 'pocketsphinx',
      });
      expect(s.startMs).toBeGreaterThan(0);
      expect(s.endMs).toBeGreaterThanOrEqual(s.startMs);
    }
    // The call's trail says the fork started for both parties, at 16 kHz.
    const { rows } = await t.db.query<{ type: string; data: { party: string; format: string } }>(
      `SELECT type, data FROM call_events WHERE call_id = $1 AND source = 'transcription' ORDER BY id`,
      [caller.id],
    );
    expect(
      rows
        .filter((e) => e.type === 'transcription.started')
        .map((e) => [e.data.party, e.data.format])
        .sort(),
    ).toEqual([
      ['agent', 'slin16'],
      ['caller', 'slin16'],
    ]);
    expect(await waitForEmpty(media.server)).toEqual(EMPTY);
  });
});
