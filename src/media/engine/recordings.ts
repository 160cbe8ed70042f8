// The engine's live recordings: each a Recorder fed on the media clock with its target's audio
// (what an endpoint hears, or a mixer's whole mix), stopped by DTMF on the target, and finished
// when the target goes away. A requested beep is played first as an internal playback whose id
// starts with INTERNAL_PLAYBACK (the engine never reports those to the core).
import type { MediaEngineEvent, RecordingOptions } from './contract.js';
import type { Endpoint } from './endpoint.js';
import { Mixer } from './mixer.js';
import { Recorder } from './recorder.js';

export const INTERNAL_PLAYBACK = '\0';

type Target = Endpoint | Mixer;

export class Recordings {
  private readonly live = new Map<string, { recorder: Recorder; target: Target }>();
  private readonly beeps = new Map<string, Recorder>();

  constructor(
    private readonly emit: (event: MediaEngineEvent) => void,
    private readonly changed: () => void,
  ) {}

  get size(): number {
    return this.live.size;
  }

  start(name: string, target: Target | undefined, options: RecordingOptions): void {
    const recorder = new Recorder(name, options, this.emit);
    if (!target || this.live.has(name)) {
      recorder.finish(
        'failed',
        target ? `recording ${name} is in progress already` : 'no such channel or bridge',
      );
      return;
    }
    if (!recorder.open()) return;
    this.live.set(name, { recorder, target });
    target.recorders++;
    if (options.beep) {
      const beepId = `${INTERNAL_PLAYBACK}beep:${name}`;
      this.beeps.set(beepId, recorder);
      target.sources.play(beepId, [{ uri: 'tone:beep', items: [{ kind: 'tone', tone: 'beep' }] }], {});
    }
    this.changed();
  }

  /** An internal playback ended: if it was a recording's beep, the recording starts now. */
  beepEnded(playback: string): void {
    const recorder = this.beeps.get(playback);
    this.beeps.delete(playback);
    recorder?.beepDone();
  }

  /** The recording reported its end: forget it. */
  forget(name: string): void {
    const entry = this.live.get(name);
    if (!entry) return;
    this.live.delete(name);
    entry.target.recorders--;
    this.changed();
  }

  tick(tick: number): void {
    for (const { recorder, target } of this.live.values()) {
      if (recorder.finished) continue;
      recorder.frame(target instanceof Mixer ? target.mixFrame(tick) : target.heardFrame(tick));
    }
  }

  dtmf(endpoint: Endpoint, digit: string): void {
    for (const { recorder, target } of this.live.values())
      if (target === endpoint || (target instanceof Mixer && target.members.has(endpoint)))
        recorder.dtmf(digit);
  }

  /** The target hung up or was destroyed: its recordings end 'done' with cause 'hangup'. */
  targetGone(gone: Target): void {
    for (const [name, { recorder, target }] of this.live)
      if (target === gone) {
        recorder.finish('done', 'hangup');
        this.forget(name);
      }
  }

  stop(name: string, discard: boolean): void {
    this.live.get(name)?.recorder.finish(discard ? 'cancelled' : 'done', 'stopped');
  }

  pause(name: string): void {
    this.live.get(name)?.recorder.pause();
  }

  unpause(name: string): void {
    this.live.get(name)?.recorder.unpause();
  }

  mute(name: string, muted: boolean): void {
    this.live.get(name)?.recorder.mute(muted);
  }

  stopAll(): void {
    for (const name of [...this.live.keys()]) this.stop(name, false);
  }
}
