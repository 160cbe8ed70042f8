import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeChannel } from '../testing/fakes.js';
import { flowFrom, runFlows, type Running } from '../testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const menuFlow = flowFrom(`
name: menu-test
start: main
steps:
  main:
    verb: menu
    prompt: { en: "Press 1 for support, 2 for billing" }
    options:
      "1": { next: support, set: { issue: support } }
      "2": { next: billing, set: { issue: billing } }
    timeout: 5
    retries: 2
    noInput: Sorry, I did not hear anything
    invalid: That is not an option
    fallback: operator
  support: { verb: say, text: Support, next: bye }
  billing: { verb: say, text: Billing, next: bye }
  operator: { verb: say, text: Operator, next: bye }
  bye: { verb: hangup }
`);

/** Lets promises settle and fake time pass. */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

/** Nothing left running: no timers, playbacks, listeners. */
async function expectClean(run: Running) {
  await run.done;
  await tick();
  expect(vi.getTimerCount()).toBe(0);
  expect(run.channel.activePlaybacks).toBe(0);
  expect(run.channel.dtmfListeners).toBe(0);
  expect(run.session.digits.listening).toBe(0);
}

describe('the interpreter', () => {
  it('follows the key the caller presses during the prompt (barge-in) and sets the option variables', async () => {
    const run = runFlows(menuFlow);
    await tick(300);
    expect(run.channel.played).toEqual(['sound:tts/en/Press 1 for support, 2 for billing']);
    run.channel.press('2');
    await tick(5000);
    const end = await run.done;
    expect(run.trail.path).toEqual(['main', 'billing', 'bye']);
    expect(run.trail.steps[0]).toMatchObject({
      step: 'main',
      verb: 'menu',
      input: '2',
      result: 'option',
      next: 'billing',
    });
    expect(run.channel.log).toContain('stop sound:tts/en/Press 1 for support, 2 for billing');
    expect(run.session.vars).toMatchObject({ issue: 'billing' });
    expect(end).toMatchObject({ outcome: 'completed', how: 'hangup', lastStep: 'bye' });
    expect(run.channel.log[0]).toBe('answer');
    expect(run.channel.log.at(-1)).toBe('hangup');
    await expectClean(run);
  });

  it('repeats the menu after no input, then goes to the fallback once the retries are used up', async () => {
    const run = runFlows(menuFlow);
    // prompt 1 s + 5 s wait, three times (first try + 2 retries), noInput prompt between tries
    await tick(1000 + 5000);
    expect(run.channel.played).toEqual([
      'sound:tts/en/Press 1 for support, 2 for billing',
      'sound:tts/en/Sorry, I did not hear anything',
    ]);
    await tick(1000 + 1000 + 5000 + 1000 + 1000 + 5000);
    await tick(5000);
    await run.done;
    expect(run.trail.path).toEqual(['main', 'operator', 'bye']);
    expect(run.trail.steps[0]).toMatchObject({
      result: 'fallback',
      next: 'operator',
      data: { attempts: 3, tried: ['timeout', 'timeout', 'timeout'] },
    });
    expect(run.channel.played.filter((m) => m.includes('Press 1'))).toHaveLength(3);
    expect(run.channel.played.filter((m) => m.includes('did not hear'))).toHaveLength(2);
    await expectClean(run);
  });

  it('plays the invalid prompt for a key that is no option, then accepts a valid one', async () => {
    const run = runFlows(menuFlow);
    await tick(1200);
    run.channel.press('7');
    await tick(500);
    expect(run.channel.played.at(-1)).toBe('sound:tts/en/That is not an option');
    await tick(1500);
    run.channel.press('1');
    await tick(3000);
    await run.done;
    expect(run.trail.steps[0]).toMatchObject({ input: '1', result: 'option', data: { attempts: 2 } });
    expect(run.trail.path).toEqual(['main', 'support', 'bye']);
    await expectClean(run);
  });

  it('goes to the fallback after invalid keys on every try', async () => {
    const run = runFlows(menuFlow);
    for (let i = 0; i < 3; i++) {
      await tick(100);
      run.channel.press('9');
      await tick(1500);
    }
    await tick(3000);
    await run.done;
    expect(run.trail.steps[0]).toMatchObject({
      result: 'fallback',
      input: '9',
      data: { tried: ['invalid:9', 'invalid:9', 'invalid:9'] },
    });
    await expectClean(run);
  });

  it('keeps a key pressed during a say step for the next menu (type-ahead)', async () => {
    const flow = flowFrom(`
start: hello
steps:
  hello: { verb: say, text: Welcome to the hotline, next: main }
  main:
    verb: menu
    prompt: Press 1
    options: { "1": { next: bye } }
    fallback: bye
  bye: { verb: hangup }
`);
    const run = runFlows(flow);
    await tick(200);
    run.channel.press('1');
    await tick(2000);
    await run.done;
    expect(run.trail.steps.map((s) => [s.step, s.result])).toEqual([
      ['hello', 'barged'],
      ['main', 'option'],
      ['bye', 'hung-up'],
    ]);
    // the menu's prompt was skipped: the caller had already answered it
    expect(run.channel.played).toEqual(['sound:tts/en/Welcome to the hotline']);
    await expectClean(run);
  });

  it('ends the flow cleanly when the caller hangs up in the middle of a prompt', async () => {
    const run = runFlows(menuFlow);
    await tick(400);
    expect(run.channel.activePlaybacks).toBe(1);
    run.channel.callerHangsUp();
    const end = await run.done;
    expect(end).toMatchObject({ outcome: 'abandoned', how: 'caller-gone', lastStep: 'main', steps: 1 });
    expect(run.trail.steps).toHaveLength(1);
    expect(run.trail.steps[0]).toMatchObject({ step: 'main', result: 'caller-hung-up' });
    expect(run.trail.events.at(-1)).toMatchObject({ type: 'ivr.flow.ended', data: { how: 'caller-gone' } });
    expect(run.channel.log).not.toContain('hangup');
    await expectClean(run);
  });

  it('ends cleanly when the caller hangs up while the menu waits for a key', async () => {
    const run = runFlows(menuFlow);
    await tick(2500);
    expect(vi.getTimerCount()).toBe(1);
    run.channel.callerHangsUp();
    await run.done;
    await expectClean(run);
  });

  it('collects digits until the terminator, max digits or a pause, and retries short input', async () => {
    const flow = flowFrom(`
start: account
steps:
  account:
    verb: gather
    prompt: Enter your account number
    variable: account.number
    minDigits: 4
    maxDigits: 8
    interDigitTimeout: 2
    retries: 1
    invalid: Too short
    next: done
    fallback: failed
  done: { verb: say, text: "Account {{account.number}}", next: bye }
  failed: { verb: hangup, outcome: failed }
  bye: { verb: hangup }
`);
    const run = runFlows(flow);
    await tick(1000);
    run.channel.press('12#');
    await tick(500);
    expect(run.channel.played.at(-1)).toBe('sound:tts/en/Too short');
    await tick(2000);
    run.channel.press('5');
    await tick(1000);
    run.channel.press('6');
    await tick(1000);
    run.channel.press('789');
    await tick(2100); // the pause ends the input
    await tick(2000);
    await run.done;
    expect(run.trail.steps[0]).toMatchObject({
      result: 'digits',
      input: '56789',
      data: { ended: 'pause' },
      next: 'done',
    });
    expect(run.channel.played).toContain('sound:tts/en/Account 56789');
    expect(run.session.vars).toEqual({ account: { number: '56789' } });
    await expectClean(run);
  });

  it('stops gathering at maxDigits without waiting', async () => {
    const flow = flowFrom(`
start: pin
steps:
  pin: { verb: gather, prompt: PIN, variable: pin, minDigits: 4, maxDigits: 4, next: bye, fallback: bye }
  bye: { verb: hangup }
`);
    const run = runFlows(flow);
    await tick(100);
    run.channel.press('12345');
    await tick(10);
    await run.done;
    expect(run.trail.steps[0]).toMatchObject({ input: '1234', data: { ended: 'max' } });
    await expectClean(run);
  });

  it('runs a subflow and comes back to the step after it; goto jumps to another flow', async () => {
    const main = flowFrom(`
name: main
start: ask
steps:
  ask: { verb: subflow, flow: survey, next: after }
  after: { verb: goto, flow: goodbye }
`);
    const survey = flowFrom(`
name: survey
start: q
steps:
  q: { verb: set, vars: { score: 5 } }
`);
    const goodbye = flowFrom(`
name: goodbye
start: bye
steps:
  bye: { verb: hangup, outcome: surveyed }
`);
    const run = runFlows([main, survey, goodbye]);
    const end = await run.done;
    expect(run.trail.steps.map((s) => `${s.flow}/${s.step}`)).toEqual([
      'main/ask',
      'survey/q',
      'main/after',
      'goodbye/bye',
    ]);
    expect(end.outcome).toBe('surveyed');
    expect(run.session.vars).toEqual({ score: 5 });
  });

  it('switches the language of prompts and records it on the call', async () => {
    const flow = flowFrom(`
start: lang
steps:
  lang: { verb: language, set: zh, next: hi }
  hi: { verb: say, text: { en: Hello, zh: 您好 }, next: bye }
  bye: { verb: hangup }
`);
    const run = runFlows(flow);
    await tick(2000);
    await run.done;
    expect(run.channel.log).toContain('play sound:tts/zh/您好 (zh)');
    expect(run.trail.updates).toContainEqual({ language: 'zh' });
  });

  it('plays a recorded prompt instead of the TTS when one exists for the language', async () => {
    const flow = flowFrom(`
start: hi
steps:
  hi: { verb: say, text: { en: Welcome }, sound: welcome, next: bye }
  bye: { verb: hangup }
`);
    const run = runFlows(flow);
    run.sources.recordedPrompts.add('en/welcome');
    await tick(2000);
    await run.done;
    expect(run.channel.played).toEqual(['sound:welcome']);
  });

  it('goes to onError when a step fails, and hangs up when there is none', async () => {
    const flow = flowFrom(`
start: first
onError: sorry
steps:
  first: { verb: play, media: "sound:x", next: bye }
  sorry: { verb: say, text: Sorry, next: bye }
  bye: { verb: hangup }
`);
    const channel = new FakeChannel();
    const realPlay = channel.play.bind(channel);
    let calls = 0;
    channel.play = (media, options) =>
      calls++ === 0 ? Promise.reject(new Error('boom')) : realPlay(media, options);
    const run = runFlows(flow, { channel });
    await tick(2000);
    await run.done;
    expect(run.trail.steps.map((s) => [s.step, s.result])).toEqual([
      ['first', 'error'],
      ['sorry', 'done'],
      ['bye', 'hung-up'],
    ]);
    expect(run.trail.steps[0]!.data).toMatchObject({ error: 'boom' });
  });

  it('stops a flow at ivr.maxStepsPerCall', async () => {
    const flow = flowFrom(`
start: m
steps:
  m:
    verb: menu
    prompt: again
    options: { "1": { next: m } }
    fallback: m
`);
    const run = runFlows(flow, { maxSteps: 3 });
    for (let i = 0; i < 3; i++) {
      await tick(10);
      run.channel.press('1');
    }
    const end = await run.done;
    expect(end).toMatchObject({ outcome: 'failed', how: 'failed', steps: 3 });
    expect(run.trail.events.some((e) => e.type === 'ivr.error' && e.data.code === 'IVR_TOO_MANY_STEPS')).toBe(
      true,
    );
    expect(run.channel.hungUp).toBe(true);
  });

  it('measures the time from the deciding key to the next prompt', async () => {
    const run = runFlows(menuFlow);
    await tick(100);
    run.channel.press('1');
    await tick(3000);
    await run.done;
    expect(run.responseTimes).toHaveLength(1);
    expect(run.trail.steps[1]).toMatchObject({ step: 'support', responseMs: run.responseTimes[0] });
  });

  it('a stopped session kills the running step and hangs up', async () => {
    const run = runFlows(menuFlow);
    await tick(500);
    run.session.stop();
    const end = await run.done;
    expect(end).toMatchObject({ outcome: 'failed', how: 'stopped' });
    expect(run.channel.hungUp).toBe(true);
    await expectClean(run);
  });
});
