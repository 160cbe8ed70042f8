// The routing module's public face.
export type { CallRouter, EnqueueRequest, QueueOutcome, QueuePosition, QueuedCall } from './contract.js';
