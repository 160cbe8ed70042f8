// The routing module's public face: the ACD's contract with the IVR, the Redis-backed state the
// API and consoles read and change, the contact-center model, and the KPIs.
export type {
  CallRouter,
  EnqueueRequest,
  QueueHold,
  QueueOutcome,
  QueuePosition,
  QueuedCall,
} from './contract.js';
export {
  AgentState,
  IllegalTransitionError,
  agentMoves,
  requestableStates,
  type RequestableState,
} from './agent-state.js';
export { CallState } from './call-state.js';
export { RoutingError, type RoutingErrorCode } from './errors.js';
export {
  agentProfileSchema,
  contactCenterSchema,
  queueSchema,
  type AgentProfile,
  type ContactCenter,
  type OverflowTarget,
  type QueueSettings,
} from './model.js';
export { planCall, requirementOf, waitingScore, type CallPlan } from './requirement.js';
export { strategies, strategyNames, type StrategyName } from './strategies/index.js';
export {
  RoutingStore,
  type AgentDispatch,
  type AgentView,
  type CallDispatch,
  type CallView,
  type Clock,
  type EnqueueEntry,
} from './store.js';
export {
  agentKpis,
  queueKpis,
  type AgentKpis,
  type KpiInterval,
  type KpiQuery,
  type QueueKpis,
} from './kpis.js';
export { RoutingConsole, type QueueLive, type WaitingCaller } from './console.js';
export { ContactCenterError, parseContactCenter, readContactCenter } from './contact-center.js';
export { consoleOf, startRouting, type RoutingService } from './service.js';
export { QueueLogWriter } from './queue-log.js';
