// A flow: named steps with transitions, loaded from one YAML file and validated (flow/load.ts).
import type { Step } from '../verbs/index.js';

export interface Flow {
  name: string;
  /** The file it came from (as given to the loader). */
  file: string;
  /** Content hash: which version of the file a call ran (shown in the call's trail). */
  version: string;
  description?: string;
  /** The first step. */
  start: string;
  /** The call's language when the flow starts it (a key of ivr.languages). */
  language?: string;
  /** Where a step that fails unexpectedly goes when it has no onError of its own. */
  onError?: string;
  steps: ReadonlyMap<string, Step>;
}
