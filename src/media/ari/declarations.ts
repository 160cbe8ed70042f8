// Hotline's own ARI API declarations: the operations the embedded server implements, with the
// same resource paths, nicknames, parameter names, parameter types and response classes as
// Asterisk 22's REST API, so `ari-client` builds the same client from them. One table drives
// both the swagger documents (swagger.ts) and request parsing (params.ts).
import { BRIDGE_OPERATIONS } from './api-bridges.js';
import { CHANNEL_OPERATIONS } from './api-channels.js';
import { OTHER_OPERATIONS } from './api-others.js';
import type { OperationDecl } from './declare.js';

export type { OperationDecl, ParamDecl, ParamKind, ParamType } from './declare.js';

/** Every operation, in Asterisk's resource order. */
export const OPERATIONS: OperationDecl[] = [
  ...OTHER_OPERATIONS.filter((o) => o.resource === 'asterisk' || o.resource === 'endpoints'),
  ...CHANNEL_OPERATIONS,
  ...BRIDGE_OPERATIONS,
  ...OTHER_OPERATIONS.filter((o) => o.resource !== 'asterisk' && o.resource !== 'endpoints'),
];

export const RESOURCES: { name: string; description: string }[] = [
  { name: 'asterisk', description: 'Asterisk resources' },
  { name: 'endpoints', description: 'Endpoint resources' },
  { name: 'channels', description: 'Channel resources' },
  { name: 'bridges', description: 'Bridge resources' },
  { name: 'recordings', description: 'Recording resources' },
  { name: 'sounds', description: 'Sound resources' },
  { name: 'playbacks', description: 'Playback control resources' },
  { name: 'events', description: 'WebSocket resource' },
  { name: 'applications', description: 'Stasis application resources' },
];
