// ITU-T G.722 sub-band ADPCM, 64 kbit/s mode (mode 1): 16 kHz PCM ↔ one byte per pair of samples
// (6 bits lower band, 2 bits upper band).
//
// Written by hand: no maintained G.722 codec exists on npm (checked the registry: no `g722`
// package; the audio libraries there do G.711 only), and wideband phones must reach the ASR at
// 16 kHz. This follows the block structure of the ITU-T recommendation (block names in the
// comments: QUANTL, INVQAL, LOGSCL, SCALEL, RECONS, PARREC, UPPOL1/2, UPZERO, FILTEP/FILTEZ,
// PREDIC) in the integer arithmetic the standard specifies, so it interoperates with phones and
// with Asterisk's `.g722` prompt files (g722.test.ts decodes those and compares them with the
// 8 kHz recordings of the same prompts).

const QMF = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];
/** Lower-band quantiser decision levels (QUANTL), 6-bit. */
const Q6 = [
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219,
  1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
];
const ILN = [
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7,
  6, 5, 4, 0,
];
const ILP = [
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
  35, 34, 33, 32, 0,
];
const WL = [-60, -30, 58, 172, 334, 538, 1198, 3042];
const RL42 = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
const ILB = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960,
  3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
];
const QM4 = [
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
];
const QM6 = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360,
  -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688,
  -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192,
  6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432,
  -136,
];
const QM2 = [-7408, -1616, 7408, 1616];
const WH = [0, -214, 798];
const RH2 = [2, 1, 2, 1];
const IHN = [0, 1, 0];
const IHP = [0, 3, 2];

function sat16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Scale factor from the log scale factor (SCALEL / SCALEH). */
function scaleFactor(nb: number, shift: number): number {
  const wd1 = (nb >> 6) & 31;
  const wd2 = shift - (nb >> 11);
  const wd3 = wd2 < 0 ? ILB[wd1]! << -wd2 : ILB[wd1]! >> wd2;
  return wd3 << 2;
}

/** The adaptive predictor of one sub-band (block 4), identical in encoder and decoder. */
class SubBand {
  s = 0;
  sp = 0;
  sz = 0;
  nb = 0;
  det: number;
  private readonly r = [0, 0, 0];
  private readonly a = [0, 0, 0];
  private readonly ap = [0, 0, 0];
  private readonly p = [0, 0, 0];
  private readonly d = [0, 0, 0, 0, 0, 0, 0];
  private readonly b = [0, 0, 0, 0, 0, 0, 0];
  private readonly bp = [0, 0, 0, 0, 0, 0, 0];

  constructor(det: number) {
    this.det = det;
  }

  /** Updates the predictor with the quantised difference `dq` and predicts the next sample. */
  update(dq: number): void {
    const { r, a, ap, p, d, b, bp } = this;
    // RECONS, PARREC
    d[0] = dq;
    r[0] = sat16(this.s + dq);
    p[0] = sat16(this.sz + dq);
    // UPPOL2
    const sg0 = p[0] >> 15;
    const sg1 = p[1]! >> 15;
    const sg2 = p[2]! >> 15;
    let wd1 = sat16(a[1]! << 2);
    let wd2 = sg0 === sg1 ? -wd1 : wd1;
    if (wd2 > 32767) wd2 = 32767;
    let wd3 = (wd2 >> 7) + (sg0 === sg2 ? 128 : -128);
    wd3 += (a[2]! * 32512) >> 15;
    ap[2] = wd3 > 12288 ? 12288 : wd3 < -12288 ? -12288 : wd3;
    // UPPOL1
    wd1 = sg0 === sg1 ? 192 : -192;
    wd2 = (a[1]! * 32640) >> 15;
    ap[1] = sat16(wd1 + wd2);
    wd3 = sat16(15360 - ap[2]);
    if (ap[1] > wd3) ap[1] = wd3;
    else if (ap[1] < -wd3) ap[1] = -wd3;
    // UPZERO
    wd1 = dq === 0 ? 0 : 128;
    const sgd = dq >> 15;
    for (let i = 1; i < 7; i++) {
      wd2 = d[i]! >> 15 === sgd ? wd1 : -wd1;
      wd3 = (b[i]! * 32640) >> 15;
      bp[i] = sat16(wd2 + wd3);
    }
    // DELAYA
    for (let i = 6; i > 0; i--) {
      d[i] = d[i - 1]!;
      b[i] = bp[i]!;
    }
    for (let i = 2; i > 0; i--) {
      r[i] = r[i - 1]!;
      p[i] = p[i - 1]!;
      a[i] = ap[i]!;
    }
    // FILTEP
    wd1 = sat16(r[1]! + r[1]!);
    wd1 = (a[1]! * wd1) >> 15;
    wd2 = sat16(r[2]! + r[2]!);
    wd2 = (a[2]! * wd2) >> 15;
    this.sp = sat16(wd1 + wd2);
    // FILTEZ
    let sz = 0;
    for (let i = 6; i > 0; i--) {
      const w = sat16(d[i]! + d[i]!);
      sz += (b[i]! * w) >> 15;
    }
    this.sz = sat16(sz);
    // PREDIC
    this.s = sat16(this.sp + this.sz);
  }

  /** LOGSCL / LOGSCH: adapt the log scale factor. */
  adaptLow(il4: number): void {
    let nb = ((this.nb * 127) >> 7) + WL[il4]!;
    nb = nb < 0 ? 0 : nb > 18432 ? 18432 : nb;
    this.nb = nb;
    this.det = scaleFactor(nb, 8);
  }

  adaptHigh(ih2: number): void {
    let nb = ((this.nb * 127) >> 7) + WH[ih2]!;
    nb = nb < 0 ? 0 : nb > 22528 ? 22528 : nb;
    this.nb = nb;
    this.det = scaleFactor(nb, 10);
  }
}

/** One direction of a G.722 stream: keep one encoder per outgoing stream (it has state). */
export class G722Encoder {
  private readonly low = new SubBand(32);
  private readonly high = new SubBand(8);
  private readonly x = new Int32Array(24);

  /** Encodes `count` samples (even) of 16 kHz PCM into count/2 bytes at `out[outOffset]`. */
  encode(pcm: Int16Array, out: Uint8Array, outOffset = 0, count = pcm.length): number {
    const { low, high, x } = this;
    let o = outOffset;
    for (let j = 0; j + 1 < count; j += 2) {
      // Transmit QMF: split into a lower and an upper band at 8 kHz.
      x.copyWithin(0, 2);
      x[22] = pcm[j]!;
      x[23] = pcm[j + 1]!;
      let sumOdd = 0;
      let sumEven = 0;
      for (let i = 0; i < 12; i++) {
        sumOdd += x[2 * i]! * QMF[i]!;
        sumEven += x[2 * i + 1]! * QMF[11 - i]!;
      }
      // >> 14: the QMF's DC gain is 4096, and the sub-band coder works on 15-bit input (the
      // same scaling as spandsp's and FFmpeg's coders, so levels match other implementations).
      const xlow = (sumEven + sumOdd) >> 14;
      const xhigh = (sumEven - sumOdd) >> 14;

      // Lower band: SUBTRA, QUANTL, INVQAL, LOGSCL, SCALEL, predictor.
      const el = sat16(xlow - low.s);
      const wd = el >= 0 ? el : -(el + 1);
      let i = 1;
      for (; i < 30; i++) if (wd < (Q6[i]! * low.det) >> 12) break;
      const ilow = el < 0 ? ILN[i]! : ILP[i]!;
      const ril = ilow >> 2;
      const dlow = (low.det * QM4[ril]!) >> 15;
      low.adaptLow(RL42[ril]!);
      low.update(dlow);

      // Upper band: SUBTRA, QUANTH, INVQAH, LOGSCH, SCALEH, predictor.
      const eh = sat16(xhigh - high.s);
      const wdh = eh >= 0 ? eh : -(eh + 1);
      const mih = wdh >= (564 * high.det) >> 12 ? 2 : 1;
      const ihigh = eh < 0 ? IHN[mih]! : IHP[mih]!;
      const dhigh = (high.det * QM2[ihigh]!) >> 15;
      high.adaptHigh(RH2[ihigh]!);
      high.update(dhigh);

      out[o++] = (ihigh << 6) | ilow;
    }
    return o - outOffset;
  }
}

export class G722Decoder {
  private readonly low = new SubBand(32);
  private readonly high = new SubBand(8);
  private readonly x = new Int32Array(24);

  /** Decodes `length` bytes from `bytes[offset]` into 2·length samples of 16 kHz PCM. */
  decode(
    bytes: Uint8Array,
    out: Int16Array,
    outOffset = 0,
    offset = 0,
    length = bytes.length - offset,
  ): number {
    const { low, high, x } = this;
    let o = outOffset;
    for (let j = offset; j < offset + length; j++) {
      const code = bytes[j]!;
      const ilow = code & 0x3f;
      const ihigh = (code >> 6) & 0x03;

      // Lower band: INVQBL (6-bit reconstruction for output), INVQAL (4-bit for adaptation).
      let rlow = low.s + ((low.det * QM6[ilow]!) >> 15);
      rlow = rlow > 16383 ? 16383 : rlow < -16384 ? -16384 : rlow;
      const ril = ilow >> 2;
      const dlow = (low.det * QM4[ril]!) >> 15;
      low.adaptLow(RL42[ril]!);
      low.update(dlow);

      // Upper band.
      const dhigh = (high.det * QM2[ihigh]!) >> 15;
      let rhigh = dhigh + high.s;
      rhigh = rhigh > 16383 ? 16383 : rhigh < -16384 ? -16384 : rhigh;
      high.adaptHigh(RH2[ihigh]!);
      high.update(dhigh);

      // Receive QMF: back to 16 kHz.
      x.copyWithin(0, 2);
      x[22] = rlow + rhigh;
      x[23] = rlow - rhigh;
      let xout1 = 0;
      let xout2 = 0;
      for (let i = 0; i < 12; i++) {
        xout2 += x[2 * i]! * QMF[i]!;
        xout1 += x[2 * i + 1]! * QMF[11 - i]!;
      }
      out[o++] = sat16(xout1 >> 11);
      out[o++] = sat16(xout2 >> 11);
    }
    return o - outOffset;
  }
}
