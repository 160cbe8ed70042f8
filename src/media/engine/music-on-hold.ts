// Music on hold: the class's files one after another, in a loop, until stopped. A file that
// cannot be read is skipped; while the next file loads the target hears silence.
import type { AudioFiles } from './audio-files.js';

export class MusicOnHold {
  private index = -1;
  private samples: Int16Array | null = null;
  private offset = 0;
  private loading = false;
  private failures = 0;
  stopped = false;

  constructor(
    private readonly files: string[],
    private readonly audio: AudioFiles,
    private readonly rate: number,
  ) {
    this.loadNext();
  }

  private loadNext(): void {
    if (this.files.length === 0 || this.loading || this.stopped) return;
    // Every file failed once in a row: give up quietly (silence) rather than spin.
    if (this.failures >= this.files.length) return;
    this.loading = true;
    this.index = (this.index + 1) % this.files.length;
    this.audio.load(this.files[this.index]!, this.rate).then(
      (samples) => {
        this.loading = false;
        this.failures = 0;
        this.samples = samples;
        this.offset = 0;
      },
      () => {
        this.loading = false;
        this.failures++;
        this.loadNext();
      },
    );
  }

  fill(out: Int16Array): void {
    let written = 0;
    while (written < out.length && this.samples) {
      const n = Math.min(out.length - written, this.samples.length - this.offset);
      out.set(this.samples.subarray(this.offset, this.offset + n), written);
      written += n;
      this.offset += n;
      if (this.offset >= this.samples.length) {
        if (this.files.length === 1) this.offset = 0;
        else {
          this.samples = null;
          this.loadNext();
        }
      }
    }
    if (written < out.length) out.fill(0, written);
  }
}
