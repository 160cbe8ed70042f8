// The interpreter: runs one call through its flow, step by step. It builds each step's verb,
// runs it, writes the step to the call's trail (step, input, result, timing), and follows the
// transition; goto and subflow move between flows of the snapshot the call started with. When
// the caller hangs up, the running verb is killed at once (its timers, listeners and media go
// with it) and the flow ends.
import type { Logger } from '../../logger.js';
import { IvrError, isKilled } from '../errors.js';
import type { Flow } from '../flow/flow.js';
import type { CallChannel } from '../resources/contract.js';
import type { CallTrail } from '../store/trail.js';
import { verbNamed, type Step } from '../verbs/index.js';
import type { CallInfo, IvrServices, StepOutcome, Verb, VerbContext } from '../verbs/verb.js';
import { DigitBuffer } from './digits.js';
import { ChannelPromptPlayer, type PromptSources } from './prompts.js';
import type { Scopeless } from './template.js';

/** How a call's IVR part ended. */
export interface SessionEnd {
  /** calls.outcome: completed, abandoned, voicemail, callback, connected, transferred, failed, ... */
  outcome: string;
  /** hangup: the IVR hung up (flow end or hangup step); caller-gone: the caller hung up first;
   *  handed-off: routing or a transfer has the caller now; failed: an error ended it. */
  how: 'hangup' | 'caller-gone' | 'handed-off' | 'failed' | 'stopped';
  flow: string;
  lastStep: string;
  steps: number;
}

export interface SessionOptions {
  call: CallInfo;
  channel: CallChannel;
  /** The flows as they were when the call started. */
  flows: ReadonlyMap<string, Flow>;
  entry: Flow;
  services: IvrServices;
  trail: CallTrail;
  sources: PromptSources;
  log: Logger;
  defaultLanguage: string;
  maxSteps: number;
  /** Variables the flow starts with. */
  vars?: Scopeless;
  onAnswered?: () => void;
  /** DTMF → next prompt latency of each step that had both. */
  onResponseTime?: (ms: number) => void;
}

const MAX_SUBFLOW_DEPTH = 10;

interface Position {
  flow: Flow;
  step: string;
}

export class CallSession {
  readonly digits = new DigitBuffer();
  readonly vars: Scopeless = {};
  private language: string;
  private current: Verb<unknown> | null = null;
  private stopped = false;
  private answering: Promise<void> | null = null;
  private outcomeHint: string | null = null;
  private readonly background = new Set<Promise<unknown>>();
  /** When the input that decided the last step arrived, until a prompt starts. */
  private awaitingResponseSince: number | null = null;
  private responseMs: number | undefined;
  private responseParts: { ivrMs: number; mediaMs: number } | undefined;
  private readonly ctx: VerbContext;

  constructor(private readonly o: SessionOptions) {
    this.language = o.entry.language ?? o.defaultLanguage;
    Object.assign(this.vars, structuredClone(o.vars ?? {}));
    const prompts = new ChannelPromptPlayer({
      channel: o.channel,
      sources: o.sources,
      languages: o.services.languages,
      language: () => this.language,
      root: (extra) => this.root(extra),
      onStarted: (requestedAt, startedAt) => this.promptStarted(requestedAt, startedAt),
    });
    // A getter for the language: verbs read it after `language` steps changed it.
    const language = () => this.language;
    this.ctx = {
      call: o.call,
      channel: o.channel,
      digits: this.digits,
      prompts,
      services: o.services,
      log: o.log,
      vars: this.vars,
      get language() {
        return language();
      },
      setLanguage: (language) => this.setLanguage(language),
      answer: () => this.answer(),
      templateRoot: (extra) => this.root(extra),
      note: (type, data) => o.trail.event(type, data),
      updateCall: (update) => {
        if (update.outcome) this.outcomeHint = update.outcome;
        o.trail.update({ data: update.data, queue: update.queue, agent: update.agent });
      },
      background: (task) => {
        this.background.add(task);
        void task
          .catch((err: unknown) => o.log.error({ err }, 'IVR background work failed'))
          .finally(() => this.background.delete(task));
      },
    };
  }

  /** Runs the flow to its end. Never rejects: failures end the flow with outcome `failed`. */
  async run(): Promise<SessionEnd> {
    const { channel, trail } = this.o;
    const offDtmf = channel.onDtmf((digit) => this.digits.push(digit));
    const onGone = () => this.current?.kill();
    channel.gone.addEventListener('abort', onGone);
    trail.event('ivr.flow.started', {
      flow: this.o.entry.name,
      version: this.o.entry.version,
      language: this.language,
    });
    trail.update({ language: this.language });
    let end: SessionEnd;
    try {
      end = await this.loop();
    } finally {
      offDtmf();
      channel.gone.removeEventListener('abort', onGone);
    }
    if (end.how === 'hangup' || end.how === 'failed' || end.how === 'stopped') {
      await channel.hangup().catch(() => undefined);
    }
    await Promise.allSettled([...this.background]);
    // A message saved after the caller hung up (the usual end of a voicemail) decides the outcome.
    if (end.how === 'caller-gone' && this.outcomeHint) end = { ...end, outcome: this.outcomeHint };
    trail.update({
      outcome: end.outcome,
      data: { ivr: { flow: end.flow, lastStep: end.lastStep, steps: end.steps, vars: this.vars } },
    });
    trail.event('ivr.flow.ended', { ...end });
    return end;
  }

  /** Ends the call's flow now (the service is stopping): the running step is killed. */
  stop(): void {
    this.stopped = true;
    this.current?.kill();
  }

  private async loop(): Promise<SessionEnd> {
    const stack: { flow: Flow; returnTo?: string }[] = [];
    let at: Position = { flow: this.o.entry, step: this.o.entry.start };
    let steps = 0;
    const finish = (outcome: string, how: SessionEnd['how']): SessionEnd => ({
      outcome,
      how,
      flow: at.flow.name,
      lastStep: at.step,
      steps,
    });
    for (;;) {
      if (this.o.channel.gone.aborted) return finish(this.outcomeHint ?? 'abandoned', 'caller-gone');
      if (this.stopped) return finish('failed', 'stopped');
      if (steps >= this.o.maxSteps) {
        this.o.log.error(
          { flow: at.flow.name, step: at.step, steps },
          'too many steps in one call; hanging up',
        );
        this.o.trail.event('ivr.error', { code: 'IVR_TOO_MANY_STEPS', step: at.step, steps });
        return finish('failed', 'failed');
      }
      const step = at.flow.steps.get(at.step);
      if (!step) {
        this.o.trail.event('ivr.error', {
          code: 'IVR_STEP_FAILED',
          message: `no step "${at.step}" in ${at.flow.name}`,
        });
        return finish('failed', 'failed');
      }
      steps++;
      const outcome = await this.runStep(at, step);
      if (outcome === 'caller-gone') return finish(this.outcomeHint ?? 'abandoned', 'caller-gone');
      if (outcome === 'stopped') return finish('failed', 'stopped');
      if (outcome === 'failed') return finish('failed', 'failed');
      if (outcome.end !== undefined) {
        const handedOff = step.verb !== 'hangup';
        return finish(outcome.end || this.outcomeHint || 'completed', handedOff ? 'handed-off' : 'hangup');
      }
      let next: Position | null;
      try {
        next = this.follow(at, outcome, stack);
      } catch (err) {
        this.o.log.error({ err, flow: at.flow.name, step: at.step }, 'cannot continue the flow');
        this.o.trail.event('ivr.error', {
          code: (err as IvrError).code ?? 'IVR_STEP_FAILED',
          message: (err as Error).message,
        });
        return finish('failed', 'failed');
      }
      if (!next) return finish(this.outcomeHint ?? 'completed', 'hangup');
      at = next;
    }
  }

  /** Where a step's outcome leads; null when the whole flow is over. */
  private follow(
    at: Position,
    outcome: StepOutcome,
    stack: { flow: Flow; returnTo?: string }[],
  ): Position | null {
    if (outcome.jump) return this.enter(outcome.jump.flow);
    if (outcome.call) {
      if (stack.length >= MAX_SUBFLOW_DEPTH)
        throw new IvrError('IVR_STEP_FAILED', 'subflows nested too deep');
      stack.push({ flow: at.flow, returnTo: outcome.call.returnTo });
      return this.enter(outcome.call.flow);
    }
    if (outcome.next) return { flow: at.flow, step: outcome.next };
    // The end of a subflow: back to the step after the subflow step (or further up).
    while (stack.length) {
      const frame = stack.pop()!;
      if (frame.returnTo) return { flow: frame.flow, step: frame.returnTo };
    }
    return null;
  }

  private enter(name: string): Position {
    const flow = this.o.flows.get(name);
    if (!flow) throw new IvrError('IVR_FLOW_NOT_FOUND', `flow "${name}" is not loaded`);
    if (flow.language && !this.language) this.setLanguage(flow.language);
    return { flow, step: flow.start };
  }

  private async runStep(
    at: Position,
    step: Step,
  ): Promise<StepOutcome | 'caller-gone' | 'stopped' | 'failed'> {
    const def = verbNamed(step.verb)!;
    const startedAt = new Date();
    this.responseMs = undefined;
    this.responseParts = undefined;
    let outcome: StepOutcome;
    const verb = def.create(at.step, step) as Verb<unknown>;
    this.current = verb;
    try {
      if (def.needsAnswer) await this.answer();
      outcome = await verb.exec(this.ctx);
    } catch (err) {
      outcome = this.failure(at, step, err);
    } finally {
      verb.kill();
      this.current = null;
    }
    const gone = this.o.channel.gone.aborted;
    this.o.trail.step({
      flow: at.flow.name,
      step: at.step,
      verb: step.verb,
      ...(outcome.input !== undefined ? { input: outcome.input } : {}),
      result: gone && outcome.result === 'killed' ? 'caller-hung-up' : outcome.result,
      next: outcome.next ?? null,
      startedAt: startedAt.toISOString(),
      ms: Date.now() - startedAt.getTime(),
      ...(this.responseMs !== undefined ? { responseMs: this.responseMs, response: this.responseParts } : {}),
      ...(outcome.data ? { data: outcome.data } : {}),
    });
    if (outcome.result === 'killed') return gone ? 'caller-gone' : 'stopped';
    if (outcome.result === 'error' && outcome.next === undefined) return 'failed';
    // The latency figure is input → the next prompt, when nothing in between waited: a step that
    // held the caller without a prompt (music on hold while queued) ends the measurement rather
    // than count the wait as the IVR's slowness.
    if (Date.now() - startedAt.getTime() > 1000) this.awaitingResponseSince = null;
    if (outcome.inputAt !== undefined) this.awaitingResponseSince = outcome.inputAt;
    return outcome;
  }

  /** A step threw: the caller left, the service stops, or a real failure (→ onError). */
  private failure(at: Position, step: Step, err: unknown): StepOutcome {
    if (isKilled(err) || this.o.channel.gone.aborted || this.stopped) return { result: 'killed' };
    const target = step.onError ?? at.flow.onError;
    const message = err instanceof Error ? err.message : String(err);
    this.o.log.error({ err, flow: at.flow.name, step: at.step }, 'IVR step failed');
    const loops = target === at.step;
    return {
      result: 'error',
      next: target && !loops ? target : undefined,
      data: { error: message, code: err instanceof IvrError ? err.code : 'IVR_STEP_FAILED' },
    };
  }

  private answer(): Promise<void> {
    if (this.o.channel.answered) return Promise.resolve();
    this.answering ??= this.o.channel.answer().then(() => {
      this.o.trail.update({ answeredAt: new Date() });
      this.o.onAnswered?.();
    });
    return this.answering;
  }

  private setLanguage(language: string): void {
    if (language === this.language) return;
    this.language = language;
    this.o.trail.update({ language });
  }

  private promptStarted(requestedAt: number, startedAt: number): void {
    if (this.awaitingResponseSince === null) return;
    this.responseMs = startedAt - this.awaitingResponseSince;
    // Where the time went: the IVR deciding (steps, lookups, TTS) vs the media server starting it.
    this.responseParts = {
      ivrMs: requestedAt - this.awaitingResponseSince,
      mediaMs: startedAt - requestedAt,
    };
    this.awaitingResponseSince = null;
    this.o.onResponseTime?.(this.responseMs);
  }

  private root(extra?: Scopeless): Scopeless {
    return {
      ...this.vars,
      caller: { number: this.o.call.callerNumber, name: this.o.call.callerName },
      call: { id: this.o.call.id, dialled: this.o.call.dialled },
      language: this.language,
      ...extra,
    };
  }

  /** The verb running now, for tests. */
  get running(): Verb<unknown> | null {
    return this.current;
  }
}
