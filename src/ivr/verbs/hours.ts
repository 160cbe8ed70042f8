// hours: business hours with a time zone and a holiday calendar. Goes to `open` during opening
// hours, to `holiday` (or `closed`) on a listed holiday, else to `closed`.
import { z } from 'zod';
import { stepBase, stepName } from '../flow/fields.js';
import { hhmm, isTimeZone, localTime, minutesOf, weekdays, type Weekday } from '../runtime/clock.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const range = z
  .string()
  .regex(/^\d\d:\d\d-\d\d:\d\d$/, 'opening hours such as 09:00-18:00')
  .refine((r) => r.split('-').every((t) => hhmm.test(t)), 'hours are 00:00 to 24:00')
  .refine((r) => {
    const [from, to] = r.split('-') as [string, string];
    return minutesOf(from) < minutesOf(to);
  }, 'the opening time must be before the closing time');

/** `mon-fri`, `sat`, `sun,sat` → the days they name. */
function daysOf(key: string): Weekday[] | null {
  const out = new Set<Weekday>();
  for (const part of key.split(',')) {
    const [a, b] = part.trim().split('-') as [string, string | undefined];
    const from = weekdays.indexOf(a as Weekday);
    const to = b === undefined ? from : weekdays.indexOf(b as Weekday);
    if (from < 0 || to < 0) return null;
    // Walk forward from `from` to `to`, wrapping past Saturday (sat-mon is sat, sun, mon).
    for (let i = from; ; i = (i + 1) % 7) {
      out.add(weekdays[i]!);
      if (i === to) break;
    }
  }
  return [...out];
}

const holiday = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-10-01'),
  z
    .object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-10-01'),
      name: z.string().optional(),
    })
    .strict(),
]);

const schema = z
  .object({
    verb: z.literal('hours'),
    ...stepBase,
    /** IANA zone, e.g. Asia/Shanghai (default ivr.timezone). */
    timezone: z.string().refine(isTimeZone, 'not a known time zone (e.g. Asia/Shanghai)').optional(),
    /** Days → opening hours: `mon-fri: "09:00-18:00"`, `sat: ["09:00-12:00", "13:00-17:00"]`. */
    weekly: z
      .record(
        z.string().refine((k) => daysOf(k) !== null, 'days such as mon-fri, sat or sat,sun'),
        z.union([range, z.array(range).min(1)]),
      )
      .refine((w) => Object.keys(w).length > 0, 'give the opening hours of at least one day'),
    holidays: z.array(holiday).default([]),
    open: stepName,
    closed: stepName,
    holiday: stepName.optional(),
  })
  .strict();
export type HoursStep = z.infer<typeof schema>;

export class Hours extends Verb<HoursStep> {
  exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    const timezone = step.timezone ?? ctx.services.timezone;
    const local = localTime(ctx.services.now(), timezone);
    const data = { timezone, local: local.date, weekday: local.weekday };
    const holiday = step.holidays
      .map((h) => (typeof h === 'string' ? { date: h } : h))
      .find((h) => h.date === local.date);
    if (holiday) {
      return Promise.resolve({
        result: 'holiday',
        next: step.holiday ?? step.closed,
        data: { ...data, holiday },
      });
    }
    const open = Object.entries(step.weekly).some(
      ([days, ranges]) =>
        daysOf(days)!.includes(local.weekday) &&
        [ranges].flat().some((r) => {
          const [from, to] = r.split('-') as [string, string];
          return local.minutes >= minutesOf(from) && local.minutes < minutesOf(to);
        }),
    );
    return Promise.resolve({ result: open ? 'open' : 'closed', next: open ? step.open : step.closed, data });
  }
}

export const hours: VerbDefinition<HoursStep> = {
  verb: 'hours',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: (step) => {
    const out: Transition[] = [
      { path: ['open'], target: step.open, label: 'open' },
      { path: ['closed'], target: step.closed, label: 'closed' },
    ];
    if (step.holiday) out.push({ path: ['holiday'], target: step.holiday, label: 'holiday' });
    if (step.onError) out.push({ path: ['onError'], target: step.onError, label: 'error' });
    return out;
  },
  create: (name, step) => new Hours(name, step),
};
