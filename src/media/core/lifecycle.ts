// Wiring the core to the layers below it, and shutting it down cleanly.
import { Cause } from './causes.js';
import type { MediaCore } from './core.js';
import { destroyBridge } from './bridges.js';
import { onEndpointStateChange } from './endpoints.js';
import { hangupChannel } from './hangup.js';
import { onIncomingCall } from './inbound.js';

export function startCore(core: MediaCore): void {
  core.sip.onIncomingCall((call) => {
    onIncomingCall(core, call).catch((err: unknown) => {
      core.log.error({ err, callId: call.callId }, 'handling an inbound call failed');
      try {
        call.reject(500, 'Server Internal Error');
      } catch {
        // Already answered or ended.
      }
    });
  });
  core.sip.onEndpointStateChange((info) => onEndpointStateChange(core, info));
  core.onEngine((event) => {
    if (event.type === 'playback' || event.type === 'recording') return;
    const ch = core.channels.get(event.endpoint);
    if (!ch || ch.hangingUp) return;
    switch (event.type) {
      case 'dtmf':
        core.publishChannel(ch, 'ChannelDtmfReceived', { digit: event.digit, duration_ms: event.durationMs });
        return;
      case 'rtp-timeout':
        // The peer vanished without a BYE: end the call as Asterisk's rtp_timeout does.
        core.log.warn({ channel: ch.id, silentMs: event.silentMs }, 'no RTP from the peer; hanging up');
        void hangupChannel(core, ch, { kind: 'request', cause: Cause.ChannelUnavailable });
        return;
      case 'talking':
        if (!ch.talkDetect) return;
        if (event.talking) core.publishChannel(ch, 'ChannelTalkingStarted');
        else core.publishChannel(ch, 'ChannelTalkingFinished', { duration: event.durationMs });
        return;
    }
  });
}

/** Hangs up every channel and destroys every bridge; resolves when all are gone. */
export async function stopCore(core: MediaCore): Promise<void> {
  core.stopping = true;
  const hangups = [...core.channels.values()].map((ch) =>
    hangupChannel(core, ch, { kind: 'request', cause: Cause.NormalClearing }),
  );
  await Promise.all(hangups);
  for (const id of [...core.bridges.keys()]) {
    try {
      destroyBridge(core, id);
    } catch {
      // Already gone.
    }
  }
}
