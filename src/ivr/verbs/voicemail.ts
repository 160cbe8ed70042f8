// voicemail: records a message over ARI (beep, up to maxSeconds, ended by silence or the
// terminator key, or by the caller hanging up) and keeps it with the call: a `voicemails` row
// naming the server's stored recording (playable later as `recording:<name>` or through
// GET /api/voicemails/:id/audio) and `voicemail` in the call's data.
import { z } from 'zod';
import { prompt, seconds, stepBase, stepName } from '../flow/fields.js';
import type { Recording, RecordingResult } from '../resources/contract.js';
import { playPrompt } from '../runtime/input.js';
import { render } from '../runtime/template.js';
import type { VoicemailRecord } from '../store/store.js';
import { Verb, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('voicemail'),
    ...stepBase,
    mailbox: z.string().min(1).default('default'),
    prompt: prompt.optional(),
    maxSeconds: seconds.default(120),
    /** Seconds of silence (after speech) that end the message. */
    maxSilenceSeconds: seconds.default(5),
    beep: z.boolean().default(true),
    /** Key that ends the message: '#', '*', 'any' or 'none'. */
    terminateOn: z.enum(['#', '*', 'any', 'none']).default('#'),
    next: stepName.optional(),
  })
  .strict();
export type VoicemailStep = z.infer<typeof schema>;

/** How long to wait for the server to finish a recording after the caller hung up. */
const FINISH_GRACE_MS = 10_000;

export class Voicemail extends Verb<VoicemailStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    if (step.prompt) await playPrompt(ctx, this.scope, step.prompt, { bargeIn: false });
    ctx.digits.clear();
    const name = `voicemail-${ctx.call.id.replace(/[^\w-]/g, '_')}-${Date.now().toString(36)}`;
    const recording = await this.scope.wait(
      ctx.channel.record({
        name,
        format: 'wav',
        maxDurationSeconds: Math.ceil(step.maxSeconds),
        maxSilenceSeconds: Math.ceil(step.maxSilenceSeconds),
        beep: step.beep,
        terminateOn: step.terminateOn,
      }),
    );
    // Kept even if the caller hangs up mid-message (the usual way a voicemail ends): the save
    // does not belong to this step's scope, and the call waits for it before it is closed.
    const saved = this.keep(ctx, recording);
    ctx.background(saved);
    this.scope.onClose(() => recording.stop());
    const voicemail = await this.scope.wait(saved);
    if (!voicemail) return { result: 'empty', next: step.next, data: { recording: name } };
    return {
      result: 'recorded',
      next: step.next,
      data: { voicemail: voicemail.id, recording: name, seconds: voicemail.durationSeconds },
    };
  }

  private async keep(ctx: VerbContext, recording: Recording): Promise<VoicemailRecord | null> {
    const result = await finishedAfter(recording, (f) => this.scope.onClose(f));
    if (!result || result.state === 'failed' || result.durationSeconds === 0) return null;
    const voicemail = await ctx.services.store.saveVoicemail({
      callId: ctx.call.id,
      mailbox: render(this.step.mailbox, ctx.templateRoot()),
      recording: result.name,
      format: result.format,
      durationSeconds: result.durationSeconds,
      callerNumber: ctx.call.callerNumber,
      language: ctx.language,
    });
    ctx.updateCall({
      outcome: 'voicemail',
      data: { voicemail: { id: voicemail.id, recording: voicemail.recording, mailbox: voicemail.mailbox } },
    });
    return voicemail;
  }
}

/**
 * The recording's end. Once the step is over (the caller hung up, usually) the server gets
 * FINISH_GRACE_MS to report it; a recording that never reports is given up then.
 */
function finishedAfter(
  recording: Recording,
  onClose: (f: () => void) => void,
): Promise<RecordingResult | null> {
  return new Promise((resolve) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    void recording.finished.then((r) => {
      done = true;
      if (timer) clearTimeout(timer);
      resolve(r);
    });
    onClose(() => {
      if (!done) timer = setTimeout(() => resolve(null), FINISH_GRACE_MS);
    });
  });
}

export const voicemail: VerbDefinition<VoicemailStep> = {
  verb: 'voicemail',
  schema,
  waitsForCaller: true,
  needsAnswer: true,
  transitions: (step) => [
    ...(step.next ? [{ path: ['next'], target: step.next, label: '' }] : []),
    ...(step.onError ? [{ path: ['onError'], target: step.onError, label: 'error' }] : []),
  ],
  create: (name, step) => new Voicemail(name, step),
};
