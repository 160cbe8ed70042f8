// The receive side of an RTP stream for consumers that take one 20 ms frame per media-clock tick
// (mixing three or more, recording, snoop, talk detection). Packets are held by sequence number
// so reordered ones play in order; a missing packet becomes silence once later ones are there;
// a new SSRC or a jump in sequence starts over. Payloads are decoded when played, in order, which
// a stateful codec (G.722) needs. Two-party relays never come here: they forward packets as they
// arrive and leave reordering to the far end's own jitter buffer.
import type { PayloadDecoder } from '../codecs/index.js';

const SLOTS = 32;
/** Packets waiting before playout begins (and again after running dry): 40 ms of cushion. */
const PREFILL = 2;
/** Above this many buffered packets the oldest are dropped, to keep latency bounded. */
const MAX_DEPTH = 8;

export class JitterBuffer {
  private readonly payloads: (Uint8Array | null)[] = new Array<Uint8Array | null>(SLOTS).fill(null);
  private readonly seqs = new Int32Array(SLOTS).fill(-1);
  private nextSeq = -1;
  private ssrc = -1;
  private count = 0;
  private playing = false;
  /** Decoded samples not yet handed out (a 30 ms packet feeds one and a half frames). */
  private readonly fifo: Int16Array;
  private fifoLength = 0;
  private readonly scratch: Int16Array;
  private readonly frame: Int16Array;
  /** Frames concealed as silence because their packet never came. */
  concealed = 0;

  constructor(
    private readonly decoder: PayloadDecoder,
    private readonly frameSamples: number,
  ) {
    this.fifo = new Int16Array(frameSamples * 8);
    this.scratch = new Int16Array(frameSamples * 6);
    this.frame = new Int16Array(frameSamples);
  }

  get depth(): number {
    return this.count;
  }

  reset(): void {
    this.payloads.fill(null);
    this.seqs.fill(-1);
    this.count = 0;
    this.nextSeq = -1;
    this.playing = false;
    this.fifoLength = 0;
  }

  /** Stores a packet's payload (a view that stays valid: Node gives each datagram its own buffer). */
  push(ssrc: number, seq: number, payload: Uint8Array): void {
    if (ssrc !== this.ssrc) {
      this.reset();
      this.ssrc = ssrc;
    }
    if (this.nextSeq < 0) this.nextSeq = seq;
    const ahead = (seq - this.nextSeq + 65536) & 0xffff;
    if (ahead >= 32768) return; // late: its time has passed
    if (ahead >= SLOTS) {
      this.reset();
      this.ssrc = ssrc;
      this.nextSeq = seq;
    }
    const slot = seq % SLOTS;
    if (this.seqs[slot] === seq) return; // duplicate
    if (this.payloads[slot] === null) this.count++;
    this.payloads[slot] = payload;
    this.seqs[slot] = seq;
    while (this.count > MAX_DEPTH) this.dropNext();
  }

  /** The next 20 ms frame, or null while there is nothing to play (silence). */
  pull(): Int16Array | null {
    if (!this.playing) {
      if (this.count < PREFILL && this.fifoLength < this.frameSamples) return null;
      this.playing = true;
    }
    while (this.fifoLength < this.frameSamples) {
      if (this.count === 0) {
        this.playing = false;
        if (this.fifoLength === 0) return null;
        this.fifo.fill(0, this.fifoLength, this.frameSamples);
        this.fifoLength = this.frameSamples;
        break;
      }
      this.playNext();
    }
    this.frame.set(this.fifo.subarray(0, this.frameSamples));
    this.fifo.copyWithin(0, this.frameSamples, this.fifoLength);
    this.fifoLength -= this.frameSamples;
    return this.frame;
  }

  private playNext(): void {
    const slot = this.nextSeq % SLOTS;
    const payload = this.seqs[slot] === this.nextSeq ? this.payloads[slot] : null;
    let samples: number;
    if (payload) {
      samples = this.decoder.decode(payload, 0, payload.length, this.scratch);
      this.payloads[slot] = null;
      this.seqs[slot] = -1;
      this.count--;
    } else {
      // Lost: one frame of silence in its place.
      samples = this.frameSamples;
      this.scratch.fill(0, 0, samples);
      this.concealed++;
    }
    samples = Math.min(samples, this.fifo.length - this.fifoLength);
    this.fifo.set(this.scratch.subarray(0, samples), this.fifoLength);
    this.fifoLength += samples;
    this.nextSeq = (this.nextSeq + 1) & 0xffff;
  }

  private dropNext(): void {
    const slot = this.nextSeq % SLOTS;
    if (this.seqs[slot] === this.nextSeq && this.payloads[slot]) {
      this.payloads[slot] = null;
      this.seqs[slot] = -1;
      this.count--;
    }
    this.nextSeq = (this.nextSeq + 1) & 0xffff;
  }
}
