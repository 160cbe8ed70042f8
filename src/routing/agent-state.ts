// An agent's life, one state at a time. The legal moves are listed once, here; the Lua scripts
// that change states get this table rendered into them (lua/index.ts), so Redis refuses exactly
// the moves TypeScript refuses.
//
//                 ┌──────────── aux (reason: break, lunch, missed, ...) ◄──────────┐
//                 ▼                ▲                                                │
//   logged-out ──► available ◄──► reserved ──► ringing ──► on-call ──► wrap-up ─────┤
//        ▲            ▲  ▲            │            │                        │        │
//        │            │  └────────────┘ released   │ no answer              │ timed  │
//        │            └────────────────────────────┘ (or aux `missed`)      ▼        │
//        └──────────────────── (from available, aux, wrap-up) ◄─────── available ◄───┘
//
// An agent with maxCalls > 1 stays `on-call` while taking a further call; the state follows the
// first call and wrap-up starts when the last one ends.
import { RoutingError } from './errors.js';

export enum AgentState {
  LoggedOut = 'logged-out',
  Available = 'available',
  Reserved = 'reserved',
  Ringing = 'ringing',
  OnCall = 'on-call',
  WrapUp = 'wrap-up',
  Aux = 'aux',
}

export const agentStates = Object.values(AgentState);

export const agentMoves: Readonly<Record<AgentState, readonly AgentState[]>> = {
  [AgentState.LoggedOut]: [AgentState.Available, AgentState.Aux],
  [AgentState.Available]: [AgentState.Reserved, AgentState.Aux, AgentState.LoggedOut],
  // released (the caller left, another agent answered a ring-all first), or the phone could not
  // be reached at all and the agent has missed too many calls
  [AgentState.Reserved]: [AgentState.Ringing, AgentState.Available, AgentState.Aux],
  // no answer goes back to available, or to aux `missed` after too many misses
  [AgentState.Ringing]: [AgentState.OnCall, AgentState.Available, AgentState.Aux],
  [AgentState.OnCall]: [AgentState.WrapUp],
  [AgentState.WrapUp]: [AgentState.Available, AgentState.Aux, AgentState.LoggedOut],
  // aux → aux changes the reason code
  [AgentState.Aux]: [AgentState.Available, AgentState.Aux, AgentState.LoggedOut],
};

/** States an agent (or a supervisor) may ask for; the others follow from calls. */
export const requestableStates = [AgentState.Available, AgentState.Aux, AgentState.LoggedOut] as const;
export type RequestableState = `${(typeof requestableStates)[number]}`;

/** While busy with a call, a request for these is kept and applied when wrap-up ends. */
export const busyStates: readonly AgentState[] = [AgentState.Reserved, AgentState.Ringing, AgentState.OnCall];

export function canMove(from: AgentState, to: AgentState): boolean {
  return agentMoves[from].includes(to);
}

export class IllegalTransitionError extends RoutingError {
  constructor(
    readonly agent: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(
      'ROUTING_ILLEGAL_TRANSITION',
      `Agent ${agent} cannot go from ${from} to ${to}; allowed from ${from}: ${
        agentMoves[from as AgentState]?.join(', ') || 'nothing'
      }`,
    );
  }
}

/** Throws IllegalTransitionError unless `from → to` is a legal move. */
export function assertMove(agent: string, from: AgentState, to: AgentState): void {
  if (!canMove(from, to)) throw new IllegalTransitionError(agent, from, to);
}

/** The move table as a Lua table literal, for the scripts' `@include moves`. */
export function agentMovesLua(): string {
  const rows = Object.entries(agentMoves).map(
    ([from, tos]) => `  ['${from}'] = { ${tos.map((to) => `['${to}'] = true`).join(', ')} },`,
  );
  return `local AGENT_MOVES = {\n${rows.join('\n')}\n}`;
}
