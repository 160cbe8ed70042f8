// Who may take a call, step by step. A requirement is a compact string (`zh/billing:2,tech:4`:
// the language or `*`, then skill:minimum-level pairs in name order) so that equal requirements
// share one cached eligibility bitmap in Redis. A call's plan is its routing steps with the time
// each one ends; the Lua scripts pick the current step from the clock, so escalation needs no
// write: at 20 s the same call simply asks for less.
import type { EnqueueRequest } from './contract.js';
import type { QueueSettings, RoutingStep } from './model.js';

export const ANY = '*/';

export function requirementOf(skills: Record<string, number>, language: string | null): string {
  const pairs = Object.entries(skills)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skill, level]) => `${skill}:${level}`);
  return `${language ?? '*'}/${pairs.join(',')}`;
}

export function parseRequirement(requirement: string): {
  language: string | null;
  skills: Record<string, number>;
} {
  const [language = '*', pairs = ''] = requirement.split('/');
  const skills: Record<string, number> = {};
  for (const pair of pairs.split(',').filter(Boolean)) {
    const [skill, level] = pair.split(':');
    skills[skill!] = Number(level);
  }
  return { language: language === '*' ? null : language, skills };
}

export interface PlannedStep {
  /** When the step ends (ms since the epoch). The last one ends at the overflow time. */
  until: number;
  requirement: string;
}

export interface CallPlan {
  steps: PlannedStep[];
  /** The previous agent, offered the call alone until `affinityUntil`. */
  affinityAgent: string | null;
  affinityUntil: number;
}

/**
 * The call's steps with absolute end times. The request's skills raise the first step's (the
 * IVR knows what this caller needs: a skill the step does not ask for is added, a higher level
 * wins); later steps are the queue's, so escalation still widens. The last step ends at max wait.
 */
export function planCall(
  queue: QueueSettings,
  request: Pick<EnqueueRequest, 'skills' | 'language' | 'lastAgent'>,
  enqueuedAt: number,
): CallPlan {
  const overflowAt = enqueuedAt + queue.maxWaitSeconds * 1000;
  const steps: PlannedStep[] = [];
  let start = enqueuedAt;
  queue.steps.forEach((step: RoutingStep, i) => {
    if (start >= overflowAt) return;
    const last = i === queue.steps.length - 1;
    const end =
      last || step.seconds === undefined ? overflowAt : Math.min(overflowAt, start + step.seconds * 1000);
    const skills = i === 0 ? raise(step.skills, request.skills ?? {}) : step.skills;
    const language = step.language && request.language ? request.language : null;
    steps.push({ until: end, requirement: requirementOf(skills, language) });
    start = end;
  });
  const affinity = request.lastAgent && queue.affinitySeconds > 0 ? request.lastAgent : null;
  return {
    steps,
    affinityAgent: affinity,
    affinityUntil: affinity ? enqueuedAt + queue.affinitySeconds * 1000 : 0,
  };
}

function raise(base: Record<string, number>, extra: Record<string, number>): Record<string, number> {
  const out = { ...base };
  for (const [skill, level] of Object.entries(extra)) out[skill] = Math.max(out[skill] ?? 0, level);
  return out;
}

/** The step in force at `now` (the last one once all have ended). */
export function currentStep(plan: CallPlan, now: number): { index: number; step: PlannedStep } {
  const index = plan.steps.findIndex((s) => now < s.until);
  const i = index === -1 ? plan.steps.length - 1 : index;
  return { index: i, step: plan.steps[i]! };
}

/** The plan as the scripts keep it: `until1|requirement1|until2|requirement2...`. */
export function encodePlan(plan: CallPlan): string {
  return plan.steps.flatMap((s) => [String(s.until), s.requirement]).join('|');
}

export function decodePlan(text: string): PlannedStep[] {
  const f = text.split('|');
  const steps: PlannedStep[] = [];
  for (let i = 0; i + 1 < f.length; i += 2) steps.push({ until: Number(f[i]), requirement: f[i + 1]! });
  return steps;
}

/** Highest priority first, then first come; a callback keeps its score and so its place. */
export function waitingScore(priority: number, enqueuedAt: number): number {
  return (99 - priority) * 1e13 + enqueuedAt;
}
