export { buildApi } from './server.js';
export type { ApiRoutes, ApiServer } from './fastify.js';
export { ApiError, apiErrors, type ApiErrorCode } from './errors.js';
export { inProcessFetch } from './in-process-fetch.js';
