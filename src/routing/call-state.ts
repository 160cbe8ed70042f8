// A caller's place in a queue, from enqueue to an outcome. The legal moves are listed once, here,
// and rendered into the Lua scripts (lua/index.ts) like the agent's.
//
//   waiting ──► offered ──► connected ──► completed
//     │  ▲        │  │
//     │  └────────┘  └──► abandoned (caller hung up while an agent rang)
//     │  no answer / reservation expired
//     ├──► abandoned    the caller hung up
//     ├──► overflowed   the queue's steps ran out (or max wait)
//     └──► failed       a callback whose customer could not be reached
//
// A callback is a `waiting` call without a caller channel (mode `callback`): it keeps its place.

export enum CallState {
  Waiting = 'waiting',
  Offered = 'offered',
  Connected = 'connected',
  Completed = 'completed',
  Abandoned = 'abandoned',
  Overflowed = 'overflowed',
  Failed = 'failed',
}

export const callMoves: Readonly<Record<CallState, readonly CallState[]>> = {
  [CallState.Waiting]: [CallState.Offered, CallState.Abandoned, CallState.Overflowed],
  [CallState.Offered]: [CallState.Waiting, CallState.Connected, CallState.Abandoned, CallState.Failed],
  // failed: a callback whose customer did not answer after the agent did
  [CallState.Connected]: [CallState.Completed, CallState.Failed],
  [CallState.Completed]: [],
  [CallState.Abandoned]: [],
  [CallState.Overflowed]: [],
  [CallState.Failed]: [],
};

export const finalCallStates: readonly CallState[] = [
  CallState.Completed,
  CallState.Abandoned,
  CallState.Overflowed,
  CallState.Failed,
];

export function callMovesLua(): string {
  const rows = Object.entries(callMoves).map(
    ([from, tos]) => `  ['${from}'] = { ${tos.map((to) => `['${to}'] = true`).join(', ')} },`,
  );
  return `local CALL_MOVES = {\n${rows.join('\n')}\n}`;
}
