// Every error the IVR raises carries a stable code and a message an operator can act on.

export const ivrErrors = {
  /** A flow file is not valid: YAML, schema or graph (each problem names file and step path). */
  IVR_FLOW_INVALID: 'Flow file rejected',
  /** No flow is configured for the dialled number and there is no entry flow. */
  IVR_FLOW_NOT_FOUND: 'No such flow',
  /** A step ran into a failure it could not handle (ARI error, bad data). */
  IVR_STEP_FAILED: 'Step failed',
  /** The call's flow passed more steps than ivr.maxStepsPerCall (a loop the validator could not see). */
  IVR_TOO_MANY_STEPS: 'Too many steps',
  /** Text-to-speech failed (espeak-ng missing, provider unreachable). */
  IVR_TTS_FAILED: 'Text-to-speech failed',
  /** A transfer or dial did not reach anyone. */
  IVR_DIAL_FAILED: 'Dial failed',
  /** The caller's channel is gone (hung up): whatever was in progress stopped. */
  IVR_CALLER_GONE: 'Caller hung up',
  /** The verb was stopped (kill) before it finished. */
  IVR_VERB_KILLED: 'Step stopped',
} as const;

export type IvrErrorCode = keyof typeof ivrErrors;

export class IvrError extends Error {
  constructor(
    readonly code: IvrErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${ivrErrors[code]}: ${detail}`, options);
    this.name = 'IvrError';
  }
}

/** A flow file problem: where (file, line, dotted step path) and what is wrong. */
export interface FlowProblem {
  file: string;
  /** 1-based line in the file, when it could be found. */
  line?: number;
  /** Dotted path inside the flow, e.g. `steps.main-menu.options.1.next`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(p: FlowProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

export class FlowError extends IvrError {
  constructor(readonly problems: FlowProblem[]) {
    super('IVR_FLOW_INVALID', `\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'FlowError';
  }
}

export function isKilled(err: unknown): boolean {
  return err instanceof IvrError && (err.code === 'IVR_VERB_KILLED' || err.code === 'IVR_CALLER_GONE');
}
