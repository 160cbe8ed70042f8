// Receive statistics of one RTP stream, as RFC 3550 appendix A.1 (sequence numbers, loss) and
// A.8 (interarrival jitter) define them; they feed stats() and our RTCP reports.
import type { ReportBlock } from '../rtp/index.js';

const RTP_SEQ_MOD = 1 << 16;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReceiveStats {
  ssrc = 0;
  packets = 0;
  octets = 0;
  /** Interarrival jitter in RTP timestamp units (the RFC's J, not yet scaled down). */
  private jitterScaled = 0;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private started = false;
  private lastTransit = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  /** Middle 32 bits of the NTP time of the last SR from the peer, and when it arrived. */
  lastSr = 0;
  lastSrAt = 0;

  constructor(private readonly clockRate: number) {}

  /** Records a packet; `arrivalMs` is a monotonic time. A new SSRC or a big sequence jump starts over. */
  record(ssrc: number, seq: number, timestamp: number, payloadBytes: number, arrivalMs: number): void {
    if (!this.started || ssrc !== this.ssrc) {
      this.started = true;
      this.ssrc = ssrc;
      this.baseSeq = seq;
      this.maxSeq = seq;
      this.cycles = 0;
      this.expectedPrior = 0;
      this.receivedPrior = 0;
      this.lastTransit = 0;
      this.jitterScaled = 0;
    } else {
      const delta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
      if (delta < MAX_DROPOUT) {
        if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
        this.maxSeq = seq;
      } else if (delta <= RTP_SEQ_MOD - MAX_MISORDER) {
        // A big jump: the sender restarted its sequence; start counting again from here.
        this.baseSeq = seq;
        this.maxSeq = seq;
        this.cycles = 0;
        this.expectedPrior = 0;
        this.receivedPrior = 0;
        this.packets = 0;
      }
    }
    this.packets++;
    this.octets += payloadBytes;
    const arrival = Math.round((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - timestamp) | 0;
    if (this.lastTransit !== 0 || this.packets > 1) {
      const d = Math.abs((transit - this.lastTransit) | 0);
      this.jitterScaled += d - this.jitterScaled / 16;
    }
    this.lastTransit = transit;
  }

  get received(): boolean {
    return this.started;
  }

  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.started ? this.extendedHighestSequence - this.baseSeq + 1 : 0;
  }

  get lost(): number {
    return Math.max(0, this.expected - this.packets);
  }

  /** Jitter in RTP timestamp units. */
  get jitter(): number {
    return this.jitterScaled / 16;
  }

  /** A report block for our next SR/RR, and the interval counters moved on. */
  reportBlock(nowMs: number): ReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.packets - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.packets;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: expected - this.packets,
      extendedHighestSequence: this.extendedHighestSequence >>> 0,
      jitter: Math.round(this.jitter),
      lastSr: this.lastSr,
      delaySinceLastSr: this.lastSr === 0 ? 0 : Math.round(((nowMs - this.lastSrAt) / 1000) * 65536),
    };
  }
}
