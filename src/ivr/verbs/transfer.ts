// transfer: puts the caller through to one agent's phone, a routing queue, or a number on a
// configured trunk. The caller hears ringing while the far end is dialled; once it answers both
// are bridged and the step lasts until one of them hangs up (then the other is hung up too).
// No answer, busy or an unknown target goes to `failed`.
import { z } from 'zod';
import { isKilled } from '../errors.js';
import { seconds, stepBase, stepName } from '../flow/fields.js';
import { render } from '../runtime/template.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const target = z.union([
  z.object({ agent: z.string().min(1) }).strict(),
  z.object({ queue: z.string().min(1) }).strict(),
  z.object({ number: z.string().min(1), trunk: z.string().min(1).optional() }).strict(),
]);

const schema = z
  .object({
    verb: z.literal('transfer'),
    ...stepBase,
    /** `{ agent: agent1 }`, `{ queue: support }` or `{ number: "10086", trunk: carrier }`. */
    to: target,
    /** Caller id shown to the far end (default: the caller's number). */
    callerId: z.string().optional(),
    timeout: seconds.default(30),
    /** Play ringing to the caller while dialling. */
    ringback: z.boolean().default(true),
    failed: stepName,
  })
  .strict();
export type TransferStep = z.infer<typeof schema>;

export class Transfer extends Verb<TransferStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { to } = this.step;
    if ('queue' in to) return this.toQueue(ctx, render(to.queue, ctx.templateRoot()));
    return this.dial(ctx, this.endpoint(ctx));
  }

  private endpoint(ctx: VerbContext): string {
    const { to } = this.step;
    const root = ctx.templateRoot();
    const tech = ctx.services.endpointTech;
    if ('agent' in to) return `${tech}/${render(to.agent, root)}`;
    if (!('number' in to)) throw new Error('transfer target has no agent, queue or number');
    const trunk = to.trunk ?? ctx.services.transferTrunk;
    if (!trunk) throw new Error("transfer to a number needs a trunk (the step's trunk or ivr.transferTrunk)");
    return `${tech}/${render(to.number, root)}@${trunk}`;
  }

  private async dial(ctx: VerbContext, endpoint: string): Promise<StepOutcome> {
    const { dialer, bridges } = ctx.services;
    if (!dialer || !bridges) return { result: 'unavailable', next: this.step.failed, data: { endpoint } };
    const callerId = render(this.step.callerId ?? '{{caller.number}}', ctx.templateRoot());
    const ring = this.step.ringback ? await this.scope.wait(ctx.channel.play('tone:ring')) : null;
    if (ring) this.scope.onClose(() => ring.stop());
    let leg;
    try {
      leg = await this.scope.wait(
        dialer.dial(endpoint, { callerId, timeoutSeconds: this.step.timeout, signal: this.scope.signal }),
      );
    } catch (err) {
      if (isKilled(err) || this.scope.closed) throw err;
      await ring?.stop();
      return {
        result: 'no-answer',
        next: this.step.failed,
        data: { endpoint, reason: (err as Error).message },
      };
    }
    this.scope.onClose(() => leg.hangup());
    await ring?.stop();
    const bridge = await this.scope.wait(bridges.createMixing(`transfer-${ctx.call.id}`));
    this.scope.onClose(() => bridge.destroy());
    await this.scope.wait(bridge.addChannels([ctx.channel.id, leg.id]));
    if ('agent' in this.step.to) ctx.updateCall({ agent: render(this.step.to.agent, ctx.templateRoot()) });
    ctx.note('ivr.transfer-connected', { endpoint, leg: leg.id, bridge: bridge.id });
    // Lasts as long as the conversation: the caller hanging up kills this step (and hangs up the
    // far end through the scope); the far end hanging up ends the caller's call here.
    await this.scope.wait(
      new Promise<void>((resolve) => {
        if (leg.gone.aborted) return resolve();
        leg.gone.addEventListener('abort', () => resolve(), { once: true });
      }),
    );
    await ctx.channel.hangup().catch(() => undefined);
    return { result: 'far-end-hung-up', end: 'transferred', data: { endpoint } };
  }

  private async toQueue(ctx: VerbContext, queue: string): Promise<StepOutcome> {
    const router = ctx.services.router;
    if (!router) return { result: 'no-router', next: this.step.failed, data: { queue } };
    const queued = await this.scope.wait(
      router.enqueue({ callId: ctx.call.id, channelId: ctx.channel.id, queue, language: ctx.language }),
    );
    ctx.updateCall({ queue });
    const outcome = await this.scope.wait(queued.outcome);
    if (outcome.kind === 'connected') {
      ctx.updateCall({ agent: outcome.agent });
      return { result: 'connected', end: 'transferred', data: { queue, agent: outcome.agent } };
    }
    if (outcome.kind === 'abandoned') return { result: 'abandoned', end: 'abandoned', data: { queue } };
    return { result: outcome.kind, next: this.step.failed, data: { queue, outcome } };
  }
}

export const transfer: VerbDefinition<TransferStep> = {
  verb: 'transfer',
  schema,
  waitsForCaller: true,
  needsAnswer: true,
  transitions: (step) => {
    const out: Transition[] = [{ path: ['failed'], target: step.failed, label: 'failed' }];
    if (step.onError) out.push({ path: ['onError'], target: step.onError, label: 'error' });
    return out;
  },
  create: (name, step) => new Transfer(name, step),
};
