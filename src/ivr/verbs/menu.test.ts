import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpeechMenuRecognizer, SpeechMenuRequest, SpeechMenuResult } from '../../transcription/index.js';
import { flowFrom, runFlows } from '../testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

/** A recogniser that hears what the test says, when the test says it. */
class ScriptedRecognizer implements SpeechMenuRecognizer {
  readonly requests: SpeechMenuRequest[] = [];
  aborted = 0;
  private pending: ((r: SpeechMenuResult) => void) | null = null;
  constructor(private readonly languages: string[]) {}
  supports(language: string): boolean {
    return this.languages.includes(language);
  }
  recognize(request: SpeechMenuRequest, signal?: AbortSignal): Promise<SpeechMenuResult> {
    this.requests.push(request);
    return new Promise((resolve) => {
      this.pending = resolve;
      signal?.addEventListener('abort', () => {
        this.aborted++;
        resolve({ phrase: null, heard: '', confidence: null });
      });
    });
  }
  hears(phrase: string | null, heard = phrase ?? ''): void {
    this.pending?.({ phrase, heard, confidence: 0.9 });
  }
}

const flow = flowFrom(`
start: main
steps:
  main:
    verb: menu
    prompt: Say support or billing, or press 1 or 2
    options:
      "1": { next: support, words: { en: [support, technical support], zh: [技术支持] } }
      "2": { next: billing, words: { en: [billing] } }
    fallback: support
  support: { verb: hangup, outcome: support }
  billing: { verb: hangup, outcome: billing }
`);

describe('menu by speech', () => {
  it('chooses the option whose word the caller says', async () => {
    const speech = new ScriptedRecognizer(['en-US']);
    const run = runFlows(flow, { services: { speech } });
    await tick(1);
    expect(speech.requests[0]).toMatchObject({
      channelId: 'chan-1',
      phrases: ['support', 'technical support', 'billing'],
      language: 'en-US',
    });
    await tick(1500);
    speech.hears('billing', 'billing please');
    expect((await run.done).outcome).toBe('billing');
    expect(run.trail.steps[0]).toMatchObject({
      result: 'speech',
      input: 'billing',
      data: { heard: 'billing please' },
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still takes keys, and stops listening once a key is pressed', async () => {
    const speech = new ScriptedRecognizer(['en-US']);
    const run = runFlows(flow, { services: { speech } });
    await tick(300);
    run.channel.press('1');
    expect((await run.done).outcome).toBe('support');
    expect(speech.aborted).toBe(1);
  });

  it('uses keys only when the recogniser cannot do the language', async () => {
    const speech = new ScriptedRecognizer(['en-US']);
    const run = runFlows(flow, { services: { speech }, vars: {} });
    const zh = flowFrom(`
start: lang
steps:
  lang: { verb: language, set: zh, next: main }
  main:
    verb: menu
    prompt: { zh: 请说技术支持 }
    options: { "1": { next: done, words: { zh: [技术支持] } } }
    fallback: done
  done: { verb: hangup }
`);
    run.channel.callerHangsUp();
    await run.done;
    const chinese = runFlows(zh, { services: { speech } });
    await tick(300);
    chinese.channel.press('1');
    await chinese.done;
    expect(speech.requests.filter((r) => r.language.startsWith('cmn'))).toHaveLength(0);
  });
});
