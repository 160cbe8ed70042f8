// The shape of every verb (STYLE.md §3): a definition (schema, transitions, what it needs) and a
// small class with `exec` (run until done) and `kill` (stop now, releasing timers and media).
// Everything a verb holds lives in its Scope, so `kill` is the same one line for all of them.
import type { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { CallRouter } from '../../routing/index.js';
import type { SpeechMenuRecognizer } from '../../transcription/index.js';
import type { Bridges, CallChannel, Dialer } from '../resources/contract.js';
import type { DigitBuffer } from '../runtime/digits.js';
import type { PromptPlayer } from '../runtime/prompts.js';
import { Scope } from '../runtime/scope.js';
import type { Scopeless } from '../runtime/template.js';
import type { IvrStore } from '../store/store.js';
import type { LanguageTable } from '../languages.js';

export interface CallInfo {
  /** The call record id (calls.id): the caller's channel id. */
  id: string;
  callerNumber: string;
  callerName: string;
  dialled: string;
}

/** What the IVR runs with, shared by all calls. Optional parts may be absent (no router yet). */
export interface IvrServices {
  router: CallRouter | null;
  speech: SpeechMenuRecognizer | null;
  dialer: Dialer | null;
  bridges: Bridges | null;
  store: IvrStore;
  fetch: typeof fetch;
  /** Relative URLs in `http` steps are resolved against this (Hotline's own API by default). */
  httpBaseUrl: string | null;
  languages: LanguageTable;
  /** Default time zone of `hours` steps and `time` conditions. */
  timezone: string;
  /** Trunk used by `transfer` to a number when the step names none. */
  transferTrunk: string | null;
  /** Endpoint technology prefix for dialling (`PJSIP`). */
  endpointTech: string;
  now(): Date;
}

export interface VerbContext {
  readonly call: CallInfo;
  readonly channel: CallChannel;
  readonly digits: DigitBuffer;
  readonly prompts: PromptPlayer;
  readonly services: IvrServices;
  readonly log: Logger;
  /** The flow's variables (what `set`, `http`, `gather` write; `{{name}}` reads). */
  readonly vars: Scopeless;
  /** The call's language (a key of the language table). */
  readonly language: string;
  setLanguage(language: string): void;
  /** Answers the caller's channel once (records answered_at, emits call.answered). */
  answer(): Promise<void>;
  /** Variables plus built-ins (`caller.number`, `call.id`, `language`, ...) for templates. */
  templateRoot(extra?: Scopeless): Scopeless;
  /** An extra entry in the call's trail (e.g. an announcement while queued). */
  note(type: string, data: Record<string, unknown>): void;
  /**
   * Merged into calls.data, and queue/agent when given. `outcome` is what the call counts as if
   * it ends now (e.g. voicemail once a message is recorded, even if the caller then hangs up).
   */
  updateCall(update: {
    data?: Record<string, unknown>;
    queue?: string;
    agent?: string;
    outcome?: string;
  }): void;
  /** Work that must finish even if the step is killed (saving a voicemail); the call waits for it. */
  background(task: Promise<unknown>): void;
}

export interface StepOutcome {
  /** What happened, in the domain's words: option, timeout, invalid, ok, closed, overflow, ... */
  result: string;
  /** What the caller gave (digits, a phrase), if anything. */
  input?: string;
  /** When the deciding input arrived (Date.now()), for the DTMF → next prompt latency. */
  inputAt?: number;
  data?: Record<string, unknown>;
  /** The next step; undefined ends the flow (or returns from a subflow). */
  next?: string;
  /** The IVR part of the call is over with this outcome (hangup, connected, transferred, ...). */
  end?: string;
  /** Continue at another flow's start (goto). */
  jump?: { flow: string };
  /** Run another flow, then continue at `returnTo` (subflow). */
  call?: { flow: string; returnTo?: string };
}

export abstract class Verb<S = unknown> {
  protected readonly scope = new Scope();

  constructor(
    /** The step's name in its flow. */
    readonly stepName: string,
    readonly step: S,
  ) {}

  abstract exec(ctx: VerbContext): Promise<StepOutcome>;

  /** Stops now: every timer, listener, playback and recording the step holds is released. */
  kill(): void {
    this.scope.close();
  }

  /** For leak checks in tests. */
  get held(): { timers: number; cleanups: number } {
    return this.scope.held;
  }
}

/** A transition out of a step: where it points and the field that says so. */
export interface Transition {
  /** Path of the field inside the step, e.g. ['options', '1', 'next']. */
  path: (string | number)[];
  target: string;
  /** Short label for graphs: the key, the condition, 'timeout', ... */
  label: string;
}

export interface FlowReference {
  path: (string | number)[];
  flow: string;
}

export interface CheckContext {
  languages: readonly string[];
}

export interface CheckProblem {
  path: (string | number)[];
  message: string;
}

export interface VerbDefinition<S extends { verb: string } = { verb: string }> {
  readonly verb: S['verb'];
  readonly schema: z.ZodType<S>;
  /** True when the step waits for the caller (key presses, speech, a recording, a queue). */
  readonly waitsForCaller: boolean;
  /** Answered channel required: the interpreter answers first when it is not. */
  readonly needsAnswer: boolean;
  transitions(step: S): Transition[];
  flowRefs?(step: S): FlowReference[];
  check?(step: S, ctx: CheckContext): CheckProblem[];
  create(stepName: string, step: S): Verb<S>;
}

/** `next` and `onError` are transitions of every step that has them. */
export function commonTransitions(step: { next?: string; onError?: string }): Transition[] {
  const out: Transition[] = [];
  if (step.next) out.push({ path: ['next'], target: step.next, label: '' });
  if (step.onError) out.push({ path: ['onError'], target: step.onError, label: 'error' });
  return out;
}
