// The SIP configuration file (config/sip.yaml, media.sipConfigFile): the SIP layer's
// `endpoints` and `trunks` (schemas in sip/config.ts) and the core's `dialplan`
// (core/dialplan.ts), validated together before any port opens. Every problem is reported with
// the file and the field's path (`dialplan.routes.0.context: ...`).
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { dialplanSchema, type DialplanConfig } from './core/index.js';
import { sipConfigSchema, type SipConfig } from './sip/index.js';

export class MediaConfigError extends Error {
  readonly code = 'MEDIA_CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid SIP configuration file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MediaConfigError';
  }
}

export interface MediaFileConfig {
  sip: SipConfig;
  dialplan: DialplanConfig;
}

const fileSchema = z
  .object({
    endpoints: z.unknown().optional(),
    trunks: z.unknown().optional(),
    dialplan: z.unknown().optional(),
  })
  .strict();

function issues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path].filter((p) => p !== '').join('.')}: ${i.message}`);
}

/** Validates an already-parsed file's content. */
export function parseMediaFileConfig(raw: unknown, file = '(inline)'): MediaFileConfig {
  const top = fileSchema.safeParse(raw ?? {});
  if (!top.success) throw new MediaConfigError(file, issues('', top.error));
  const problems: string[] = [];
  const sip = sipConfigSchema.safeParse({
    endpoints: top.data.endpoints ?? [],
    trunks: top.data.trunks ?? [],
  });
  if (!sip.success) problems.push(...issues('', sip.error));
  const dialplan = dialplanSchema.safeParse(top.data.dialplan ?? {});
  if (!dialplan.success) problems.push(...issues('dialplan', dialplan.error));
  if (!sip.success || !dialplan.success) throw new MediaConfigError(file, problems);
  return { sip: sip.data, dialplan: dialplan.data };
}

/** Reads and validates the file; a missing file means no endpoints, no trunks and no dialplan. */
export function loadMediaFileConfig(file: string): MediaFileConfig {
  if (!existsSync(file)) return parseMediaFileConfig({}, file);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MediaConfigError(file, [`not valid YAML: ${(err as Error).message}`]);
  }
  return parseMediaFileConfig(raw, file);
}
