// Decides, whenever something changes (a join, a playback starting or ending, a snoop, a mute,
// DTMF to send), how each RTP endpoint's audio moves:
//   clocked     — it sends frames on the media clock (it has a source, DTMF to send, a snoop
//                 tapping its output, or a mixer that must really mix for it);
//   relayTarget — where its packets are forwarded as they arrive (the other member of a
//                 two-member mixer with no bridge source, when the codecs allow it);
//   pcmWanted   — whether its packets are also decoded for PCM consumers.
import type { Endpoint } from './endpoint.js';
import type { Mixer, MixerMember } from './mixer.js';
import { RtpEndpoint } from './rtp-endpoint.js';

/** Can `from`'s packets be passed to `to` as they are (modulo PCMU↔PCMA)? */
function relayable(mixer: Mixer, from: MixerMember, to: MixerMember): from is RtpEndpoint {
  return (
    from instanceof RtpEndpoint &&
    to instanceof RtpEndpoint &&
    !mixer.sources.busy &&
    !mixer.isMuted(from) &&
    !from.whisperedIn &&
    from.canRelayTo(to)
  );
}

function mixerNeedsClockFor(endpoint: RtpEndpoint): boolean {
  const mixer = endpoint.mixer;
  if (!mixer) return false;
  if (mixer.sources.busy) return true;
  if (mixer.members.size < 2) return false;
  const other = mixer.otherThan(endpoint);
  if (!other) return true; // three or more: real mixing
  if (mixer.isMuted(other)) return false; // nothing to hear, nothing to send
  return !relayable(mixer, other, endpoint);
}

/** Recomputes every endpoint's routing; returns the endpoints that send on the media clock. */
export function planTopology(endpoints: Iterable<Endpoint>): RtpEndpoint[] {
  const rtp: RtpEndpoint[] = [];
  for (const e of endpoints) if (e instanceof RtpEndpoint) rtp.push(e);
  const clocked: RtpEndpoint[] = [];
  for (const e of rtp) {
    e.clocked = e.dtmfSending || e.sources.busy || e.tappedOut || mixerNeedsClockFor(e);
    if (e.clocked) clocked.push(e);
  }
  for (const e of rtp) {
    const mixer = e.mixer;
    const other = mixer?.otherThan(e) ?? null;
    e.relayTarget =
      mixer && other instanceof RtpEndpoint && !other.clocked && relayable(mixer, e, other) ? other : null;
  }
  for (const e of rtp) {
    const mixer = e.mixer;
    e.pcmWanted =
      e.talk !== null ||
      e.recorders > 0 ||
      e.tappedIn ||
      (mixer !== null && (mixer.recorders > 0 || (mixer.members.size >= 2 && e.relayTarget === null)));
  }
  return clocked;
}
