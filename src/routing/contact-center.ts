// Reads the contact-center file (queues and agents), validates it with zod and names the field
// of every mistake, the same way the configuration does.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { RoutingError } from './errors.js';
import { contactCenterSchema, type ContactCenter } from './model.js';

export class ContactCenterError extends RoutingError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      'ROUTING_CONFIG_INVALID',
      `Invalid contact center ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ContactCenterError';
  }
}

export function parseContactCenter(data: unknown, file = '(inline)'): ContactCenter {
  const parsed = contactCenterSchema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  throw new ContactCenterError(
    file,
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`),
  );
}

export function readContactCenter(file: string): ContactCenter {
  if (!existsSync(file)) throw new ContactCenterError(file, ['file not found']);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ContactCenterError(file, [`not valid YAML: ${(err as Error).message}`]);
  }
  return parseContactCenter(data, file);
}
