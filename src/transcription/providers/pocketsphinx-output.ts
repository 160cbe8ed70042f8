// Reads what `pocketsphinx_continuous -time yes` prints: for each utterance its voice-activity
// detector closes, one line with the hypothesis, then one line per word with its start and end
// (seconds from the first sample) and posterior probability, ending with `</s>`:
//
//   i would like to check my order
//   <s> 0.000 0.230 0.999400
//   i 0.240 0.410 0.776678
//   would(2) 0.420 0.610 0.997702
//   ...
//   </s> 7.080 7.550 1.000000
//
// The word list usually ends with `</s>`, but not always (see `quiet`).
//
// Text only: no process handling here, so it can be tested on captured output.
import type { AsrResult } from '../provider.js';

export interface SphinxWord {
  word: string;
  startMs: number;
  endMs: number;
  posterior: number;
}

export interface SphinxUtterance {
  hyp: string;
  words: SphinxWord[];
}

const WORD_LINE = /^(\S+) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/;
/** Sentence marks, silence and noise "words": not speech. */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;

export class SphinxOutputParser {
  private pending: SphinxUtterance | null = null;
  private rest = '';

  constructor(private readonly onUtterance: (utterance: SphinxUtterance) => void) {}

  /** Feeds a chunk of stdout; chunks may split lines anywhere. */
  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  /**
   * The process has printed nothing more for a moment: the utterance pending is complete. Needed
   * because its word list does not always end with `</s>` (with `-fwdflat no`, the best path
   * sometimes ends on a word), and waiting for the next hypothesis line would hold the
   * utterance back until the speaker's next one.
   */
  quiet(): void {
    if (!this.rest) this.flush();
  }

  /** The process ended: whatever is pending is complete. */
  end(): void {
    if (this.rest) this.line(this.rest);
    this.rest = '';
    this.flush();
  }

  private line(line: string): void {
    const m = WORD_LINE.exec(line);
    if (!m) {
      // A hypothesis line starts the next utterance (an empty line is an empty hypothesis).
      this.flush();
      this.pending = { hyp: line.trim(), words: [] };
      return;
    }
    this.pending ??= { hyp: '', words: [] };
    const word = m[1]!;
    this.pending.words.push({
      word,
      startMs: Math.round(Number(m[2]) * 1000),
      endMs: Math.round(Number(m[3]) * 1000),
      posterior: Number(m[4]),
    });
    if (word === '</s>') this.flush();
  }

  private flush(): void {
    const utterance = this.pending;
    this.pending = null;
    if (utterance) this.onUtterance(utterance);
  }
}

/** The words that are speech, with pronunciation variants (`the(2)`) folded. */
export function spokenWords(utterance: SphinxUtterance): SphinxWord[] {
  return utterance.words
    .filter((w) => !FILLER.test(w.word))
    .map((w) => ({ ...w, word: w.word.replace(/\(\d+\)$/, '') }));
}

/** A final result for an utterance, or null when nothing was said in it. */
export function resultOf(utterance: SphinxUtterance, language: string): AsrResult | null {
  const words = spokenWords(utterance);
  const text = (utterance.hyp || words.map((w) => w.word).join(' ')).replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const timed = words.length ? words : utterance.words;
  const startMs = timed[0]?.startMs ?? 0;
  const endMs = timed[timed.length - 1]?.endMs ?? startMs;
  const confidence = words.length
    ? Math.round(
        (words.reduce((sum, w) => sum + Math.min(1, Math.max(0, w.posterior)), 0) / words.length) * 1000,
      ) / 1000
    : null;
  return { text, startMs, endMs, confidence, final: true, language };
}
