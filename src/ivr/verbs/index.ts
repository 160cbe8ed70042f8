// The verbs, by name: validate a step with its verb's schema, then build the verb (the pattern
// of jambonz's make_task). Adding a verb = one file in this folder + one line here.
import type { z } from 'zod';
import { answer } from './answer.js';
import { branch } from './branch.js';
import { callback } from './callback.js';
import { enqueue } from './enqueue.js';
import { gather } from './gather.js';
import { goto } from './goto.js';
import { hangup } from './hangup.js';
import { hours } from './hours.js';
import { http } from './http.js';
import { language } from './language.js';
import { menu } from './menu.js';
import { play } from './play.js';
import { say } from './say.js';
import { set } from './set.js';
import { subflow } from './subflow.js';
import { transfer } from './transfer.js';
import { voicemail } from './voicemail.js';
import type { VerbDefinition } from './verb.js';

export const verbs = [
  answer,
  play,
  say,
  menu,
  gather,
  set,
  branch,
  http,
  hours,
  language,
  enqueue,
  transfer,
  voicemail,
  callback,
  goto,
  subflow,
  hangup,
] as const;

export type Step = z.infer<(typeof verbs)[number]['schema']>;

const byName = new Map<string, VerbDefinition<{ verb: string }>>(
  verbs.map((v) => [v.verb, v as unknown as VerbDefinition<{ verb: string }>]),
);

export function verbNamed(name: string): VerbDefinition<{ verb: string }> | undefined {
  return byName.get(name);
}

export const verbNames: readonly string[] = verbs.map((v) => v.verb);

export type { CallInfo, IvrServices, StepOutcome, Transition, VerbContext, VerbDefinition } from './verb.js';
export { Verb } from './verb.js';
