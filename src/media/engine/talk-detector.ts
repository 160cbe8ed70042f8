// Energy-based talk detection on what an endpoint hears, with Asterisk's TALK_DETECT semantics:
// a frame whose average magnitude reaches `threshold` is talk; talking starts at the first such
// frame and finishes after `silenceMs` without one, reporting how long the talk lasted.
import type { TalkDetection } from './contract.js';
import { averageMagnitude } from './frames.js';
import { FRAME_MS } from './media-clock.js';

export type { TalkDetection };

export class TalkDetector {
  private talking = false;
  private talkMs = 0;
  private quietMs = 0;
  private readonly silenceMs: number;
  private readonly threshold: number;

  constructor(
    options: TalkDetection,
    private readonly report: (talking: boolean, durationMs: number) => void,
  ) {
    this.silenceMs = options.silenceMs ?? 2500;
    this.threshold = options.threshold ?? 160;
  }

  /** Feeds one tick's heard frame (null = silence). */
  frame(frame: Int16Array | null): void {
    const loud = frame !== null && averageMagnitude(frame) >= this.threshold;
    if (!this.talking) {
      if (!loud) return;
      this.talking = true;
      this.talkMs = FRAME_MS;
      this.quietMs = 0;
      this.report(true, 0);
      return;
    }
    this.talkMs += FRAME_MS;
    this.quietMs = loud ? 0 : this.quietMs + FRAME_MS;
    if (this.quietMs >= this.silenceMs) {
      this.talking = false;
      this.report(false, this.talkMs - this.quietMs);
    }
  }
}
