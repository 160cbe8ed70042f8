// Conditions of `branch` steps: on variables (lookup results included), the caller's number,
// the call's language and the time of day, combined with all / any / not.
import { z } from 'zod';
import { hhmm, isTimeZone, localTime, minutesOf, weekdays } from './clock.js';
import { lookup, type Scopeless } from './template.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const comparisons = {
  equals: scalar.optional(),
  notEquals: scalar.optional(),
  in: z.array(scalar).optional(),
  startsWith: z.string().optional(),
  matches: z
    .string()
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .optional(),
  exists: z.boolean().optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
};
const comparisonKeys = Object.keys(comparisons);

const comparison = z
  .object(comparisons)
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    message: `compare with one of ${comparisonKeys.join(', ')}`,
  });
export type Comparison = z.infer<typeof comparison>;

const timeWindow = z
  .object({
    /** From this local time (HH:MM, inclusive). */
    after: z.string().regex(hhmm, 'a time such as 09:00').optional(),
    /** Until this local time (HH:MM, exclusive). */
    before: z.string().regex(hhmm, 'a time such as 18:00').optional(),
    days: z.array(z.enum(weekdays)).optional(),
    timezone: z.string().refine(isTimeZone, 'not a known time zone (e.g. Asia/Shanghai)').optional(),
  })
  .strict();

export interface Condition extends Partial<Comparison> {
  var?: string;
  caller?: Comparison;
  language?: string | string[];
  time?: z.infer<typeof timeWindow>;
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
}

const kinds = ['var', 'caller', 'language', 'time', 'all', 'any', 'not'] as const;

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z
    .object({
      var: z
        .string()
        .regex(/^[A-Za-z_][\w-]*(\.[\w-]+)*$/, 'a variable name such as customer.tier')
        .optional(),
      caller: comparison.optional(),
      language: z.union([z.string(), z.array(z.string())]).optional(),
      time: timeWindow.optional(),
      all: z.array(condition).min(1).optional(),
      any: z.array(condition).min(1).optional(),
      not: condition.optional(),
      ...comparisons,
    })
    .strict()
    .superRefine((c, issue) => {
      const present = kinds.filter((k) => c[k] !== undefined);
      if (present.length !== 1) {
        issue.addIssue({
          code: 'custom',
          message: `a condition has exactly one of ${kinds.join(', ')} (found ${present.length ? present.join(', ') : 'none'})`,
        });
        return;
      }
      const hasOps = comparisonKeys.some((k) => c[k as keyof Comparison] !== undefined);
      if (present[0] === 'var' && !hasOps)
        issue.addIssue({
          code: 'custom',
          message: `compare the variable with one of ${comparisonKeys.join(', ')}`,
        });
      if (present[0] !== 'var' && hasOps)
        issue.addIssue({ code: 'custom', message: 'comparisons (equals, in, ...) go with var only' });
    }),
);

export interface ConditionEnv {
  root: Scopeless;
  callerNumber: string;
  language: string;
  now: Date;
  timezone: string;
}

function compare(value: unknown, c: Partial<Comparison>): boolean {
  if (c.exists !== undefined && (value !== undefined && value !== null && value !== '') !== c.exists)
    return false;
  if (c.equals !== undefined && !same(value, c.equals)) return false;
  if (c.notEquals !== undefined && same(value, c.notEquals)) return false;
  if (c.in !== undefined && !c.in.some((v) => same(value, v))) return false;
  if (c.startsWith !== undefined && !asText(value).startsWith(c.startsWith)) return false;
  if (c.matches !== undefined && !new RegExp(c.matches).test(asText(value))) return false;
  const n = typeof value === 'number' ? value : Number(value);
  if (c.gt !== undefined && !(n > c.gt)) return false;
  if (c.gte !== undefined && !(n >= c.gte)) return false;
  if (c.lt !== undefined && !(n < c.lt)) return false;
  if (c.lte !== undefined && !(n <= c.lte)) return false;
  return true;
}

/** Loose equality the way flow authors mean it: 10 equals "10", "VIP" does not equal "vip". */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null || b === null) return false;
  return asText(a) === asText(b);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function evaluate(c: Condition, env: ConditionEnv): boolean {
  if (c.all) return c.all.every((x) => evaluate(x, env));
  if (c.any) return c.any.some((x) => evaluate(x, env));
  if (c.not) return !evaluate(c.not, env);
  if (c.var !== undefined) return compare(lookup(env.root, c.var), c);
  if (c.caller) return compare(env.callerNumber, c.caller);
  if (c.language !== undefined) {
    return (Array.isArray(c.language) ? c.language : [c.language]).includes(env.language);
  }
  if (c.time) {
    const local = localTime(env.now, c.time.timezone ?? env.timezone);
    if (c.time.days && !c.time.days.includes(local.weekday)) return false;
    if (c.time.after && local.minutes < minutesOf(c.time.after)) return false;
    if (c.time.before && local.minutes >= minutesOf(c.time.before)) return false;
    return true;
  }
  return false;
}

/** A short text for graphs: `customer.tier = vip`. */
export function describe(c: Condition): string {
  if (c.all) return c.all.map(describe).join(' and ');
  if (c.any) return c.any.map(describe).join(' or ');
  if (c.not) return `not (${describe(c.not)})`;
  if (c.language !== undefined) return `language ${[c.language].flat().join('|')}`;
  if (c.time)
    return `time ${c.time.after ?? ''}-${c.time.before ?? ''}${c.time.days ? ` ${c.time.days.join(',')}` : ''}`;
  const subject = c.var ?? 'caller';
  const ops = c.var !== undefined ? c : (c.caller ?? {});
  const parts = Object.entries(ops)
    .filter(([k, v]) => comparisonKeys.includes(k) && v !== undefined)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`);
  return `${subject} ${parts.join(' ')}`;
}
