// The ARI server's public face.
export { startAriServer, type AriServer, type AriServerOptions } from './server.js';
export type { AriUser } from './auth.js';
export { OPERATIONS, RESOURCES } from './declarations.js';
export { EVENT_TYPES } from './models.js';
