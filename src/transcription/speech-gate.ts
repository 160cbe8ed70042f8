// Lets through only the stretches of a party's audio that hold speech (with a little of what came
// before, so word onsets survive), and says where each stretch ends. The pocketsphinx provider
// feeds its recogniser through it: pocketsphinx_continuous recognises badly after long stretches
// of near-silent line noise (a decoded G.722 or G.711 idle line, measured: a sentence it gets
// right alone comes out as one wrong word after 2 s of such noise), and a stretch's end, followed
// by injected digital silence, closes the recogniser's utterance at once instead of after it has
// heard a real pause. Pure: samples in, pieces out, with the sample index each piece starts at.

export type GateOutput = { kind: 'speech'; pcm: Int16Array; at: number } | { kind: 'pause'; at: number };

export interface SpeechGateOptions {
  sampleRate: number;
  /** Quiet that ends a stretch of speech. */
  pauseMs: number;
  /** Audio kept from before speech starts. */
  preRollMs?: number;
  /** Loud 10 ms frames in a row that start speech. */
  startMs?: number;
  /** RMS below which nothing is speech, whatever the noise floor. */
  minRms?: number;
}

export class SpeechGate {
  private readonly frame: number;
  private readonly pauseFrames: number;
  private readonly startFrames: number;
  private readonly preRoll: number;
  private readonly minRms: number;
  /** Frames not yet let through while deciding (pre-roll while quiet). */
  private held: Int16Array[] = [];
  private heldAt = 0;
  private partial = new Int16Array(0);
  private position = 0;
  private floor = Infinity;
  private speaking = false;
  private loudRun = 0;
  private quietRun = 0;

  constructor(options: SpeechGateOptions) {
    this.frame = Math.round(options.sampleRate / 100);
    this.pauseFrames = Math.max(1, Math.round(options.pauseMs / 10));
    this.startFrames = Math.max(1, Math.round((options.startMs ?? 60) / 10));
    this.preRoll = Math.round((options.preRollMs ?? 300) / 10) + this.startFrames;
    this.minRms = options.minRms ?? 150;
  }

  push(pcm: Int16Array): GateOutput[] {
    const out: GateOutput[] = [];
    let data = pcm;
    if (this.partial.length) {
      data = new Int16Array(this.partial.length + pcm.length);
      data.set(this.partial);
      data.set(pcm, this.partial.length);
    }
    let i = 0;
    for (; i + this.frame <= data.length; i += this.frame) this.onFrame(data.slice(i, i + this.frame), out);
    this.partial = data.slice(i);
    return out;
  }

  /** The end of the audio: a stretch still open ends here. */
  flush(): GateOutput[] {
    const out: GateOutput[] = [];
    if (this.partial.length && this.speaking) {
      out.push({ kind: 'speech', pcm: this.partial, at: this.position });
      this.position += this.partial.length;
    }
    this.partial = new Int16Array(0);
    if (this.speaking) out.push({ kind: 'pause', at: this.position });
    this.speaking = false;
    return out;
  }

  private onFrame(frame: Int16Array, out: GateOutput[]): void {
    let sum = 0;
    for (let k = 0; k < frame.length; k++) sum += frame[k]! * frame[k]!;
    const rms = Math.sqrt(sum / frame.length);
    // The floor drops at once to quieter frames and creeps up slowly, so speech does not lift it.
    this.floor = rms < this.floor ? rms : this.floor + (rms - this.floor) * 0.001;
    const loud = rms > Math.max(this.minRms, this.floor * 3);
    const at = this.position;
    this.position += frame.length;
    if (this.speaking) {
      out.push({ kind: 'speech', pcm: frame, at });
      this.quietRun = loud ? 0 : this.quietRun + 1;
      if (this.quietRun >= this.pauseFrames) {
        this.speaking = false;
        this.quietRun = 0;
        this.loudRun = 0;
        out.push({ kind: 'pause', at: this.position });
      }
      return;
    }
    if (!this.held.length) this.heldAt = at;
    this.held.push(frame);
    if (this.held.length > this.preRoll) {
      this.held.shift();
      this.heldAt += this.frame;
    }
    this.loudRun = loud ? this.loudRun + 1 : 0;
    if (this.loudRun < this.startFrames) return;
    this.speaking = true;
    this.quietRun = 0;
    let from = this.heldAt;
    for (const f of this.held) {
      out.push({ kind: 'speech', pcm: f, at: from });
      from += f.length;
    }
    this.held = [];
  }
}
