// Says when a speaker has said something and stopped: energy per 10 ms frame against a floor
// that follows the line's noise. Speech menus need it because pocketsphinx_continuous in grammar
// (JSGF) mode never closes an utterance on a pause by itself, only at the end of its input.
// Pure: samples in, "ended" out, no timers.

export interface EndpointerOptions {
  sampleRate: number;
  /** Quiet after speech that ends the utterance. */
  pauseMs: number;
  /** Loud frames in a row that count as speech starting. */
  startMs?: number;
  /** RMS below which nothing counts as speech, whatever the floor. */
  minRms?: number;
}

export class Endpointer {
  private readonly frame: number;
  private readonly startFrames: number;
  private readonly pauseFrames: number;
  private readonly minRms: number;
  private floor = Infinity;
  private acc = 0;
  private accN = 0;
  private loudRun = 0;
  private quietRun = 0;
  private speaking = false;

  constructor(options: EndpointerOptions) {
    this.frame = Math.round(options.sampleRate / 100);
    this.startFrames = Math.max(1, Math.round((options.startMs ?? 60) / 10));
    this.pauseFrames = Math.max(1, Math.round(options.pauseMs / 10));
    this.minRms = options.minRms ?? 300;
  }

  /** Whether speech is going on (started and not yet ended). */
  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Feeds audio; true when an utterance ended within it (then it listens for the next one). */
  push(pcm: Int16Array): boolean {
    let ended = false;
    for (let i = 0; i < pcm.length; i++) {
      const s = pcm[i]!;
      this.acc += s * s;
      if (++this.accN < this.frame) continue;
      if (this.onFrame(Math.sqrt(this.acc / this.accN))) ended = true;
      this.acc = 0;
      this.accN = 0;
    }
    return ended;
  }

  private onFrame(rms: number): boolean {
    // The floor drops at once to quieter frames and creeps up slowly, so speech does not lift it.
    this.floor = rms < this.floor ? rms : this.floor + (rms - this.floor) * 0.001;
    const loud = rms > Math.max(this.minRms, this.floor * 3);
    if (loud) {
      this.loudRun++;
      this.quietRun = 0;
      if (!this.speaking && this.loudRun >= this.startFrames) this.speaking = true;
      return false;
    }
    this.loudRun = 0;
    if (!this.speaking) return false;
    if (++this.quietRun < this.pauseFrames) return false;
    this.speaking = false;
    this.quietRun = 0;
    return true;
  }
}
