// http: asks a CRM or webhook about the call (GET, or POST with a JSON body) and maps fields of
// the JSON answer into variables, e.g. the customer's tier, open orders and last agent. A slow or
// failing service never strands the caller: after `timeout` the flow goes on at `failed`
// (or `next` when there is none) without the data.
import { z } from 'zod';
import { seconds, stepBase, stepName } from '../flow/fields.js';
import { assign, lookup, render, resolveValue } from '../runtime/template.js';
import { checkAssignable } from './set.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const variableName = z
  .string()
  .regex(/^[A-Za-z_][\w-]*(\.[\w-]+)*$/, 'a variable name such as customer.tier');

const schema = z
  .object({
    verb: z.literal('http'),
    ...stepBase,
    method: z.enum(['GET', 'POST', 'PUT']).default('GET'),
    /** Absolute, or relative to Hotline's own API (ivr.httpBaseUrl). `{{...}}` values are URL-encoded. */
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
    /** JSON body (POST/PUT); strings may hold `{{...}}`. */
    body: z.unknown().optional(),
    timeout: seconds.default(3),
    /** variable ← dotted path in the JSON answer, e.g. `customer.tier: tier`. */
    map: z.record(variableName, z.string().min(1)).default({}),
    /** Keep the whole JSON answer in this variable too. */
    saveAs: variableName.optional(),
    next: stepName,
    /** 404: nothing known about it (else `next`). */
    notFound: stepName.optional(),
    /** Timeout, network error, other status, not JSON (else `next`). */
    failed: stepName.optional(),
  })
  .strict();
export type HttpStep = z.infer<typeof schema>;

export class Http extends Verb<HttpStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    const root = ctx.templateRoot();
    const url = this.url(ctx, root);
    const controller = new AbortController();
    this.scope.onClose(() => controller.abort());
    this.scope.after(step.timeout * 1000, () => controller.abort());
    const started = Date.now();
    let status = 0;
    try {
      const response = await this.scope.wait(
        ctx.services.fetch(url, {
          method: step.method,
          headers: {
            accept: 'application/json',
            ...(step.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...step.headers,
          },
          body:
            step.body !== undefined && step.method !== 'GET'
              ? JSON.stringify(resolveValue(step.body, root))
              : undefined,
          signal: controller.signal,
        }),
      );
      status = response.status;
      if (status === 404) {
        await response.body?.cancel();
        return {
          result: 'not-found',
          next: step.notFound ?? step.next,
          data: { url, status, ms: Date.now() - started },
        };
      }
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
      const json: unknown = await this.scope.wait<unknown>(response.json());
      const mapped = this.apply(ctx, json);
      return { result: 'ok', next: step.next, data: { url, status, ms: Date.now() - started, mapped } };
    } catch (err) {
      if (this.scope.closed) throw err;
      const reason = controller.signal.aborted ? 'timeout' : (err as Error).message;
      ctx.log.warn({ url, reason }, 'http step failed; the flow goes on without the data');
      return {
        result: controller.signal.aborted ? 'timeout' : 'error',
        next: step.failed ?? step.next,
        data: { url, status, reason, ms: Date.now() - started },
      };
    }
  }

  private url(ctx: VerbContext, root: Record<string, unknown>): string {
    const filled = render(this.step.url, root, encodeURIComponent);
    if (/^https?:\/\//.test(filled)) return filled;
    if (!ctx.services.httpBaseUrl) throw new Error(`relative URL ${filled} but no ivr.httpBaseUrl is known`);
    return new URL(filled, ctx.services.httpBaseUrl).toString();
  }

  private apply(ctx: VerbContext, json: unknown): Record<string, unknown> {
    const mapped: Record<string, unknown> = {};
    const answer = { value: json } as Record<string, unknown>;
    if (this.step.saveAs) assign(ctx.vars, this.step.saveAs, json);
    for (const [variable, path] of Object.entries(this.step.map)) {
      const value = lookup(answer, `value.${path}`);
      if (value === undefined) continue;
      mapped[variable] = value;
      assign(ctx.vars, variable, value);
    }
    return mapped;
  }
}

export const http: VerbDefinition<HttpStep> = {
  verb: 'http',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: (step) => {
    const out: Transition[] = [{ path: ['next'], target: step.next, label: 'ok' }];
    if (step.notFound) out.push({ path: ['notFound'], target: step.notFound, label: '404' });
    if (step.failed) out.push({ path: ['failed'], target: step.failed, label: 'failed' });
    if (step.onError) out.push({ path: ['onError'], target: step.onError, label: 'error' });
    return out;
  },
  check: (step) => [
    ...checkAssignable(Object.keys(step.map), ['map']),
    ...(step.saveAs ? checkAssignable([step.saveAs], ['saveAs']) : []),
  ],
  create: (name, step) => new Http(name, step),
};
