// Shared steps for the per-strategy tests: serve a call end to end on the real Redis with the
// test's clock, so an agent's figures (calls, talk time, idle time) come from real calls.
import type { RoutingFixture } from '../test-helpers.js';

let seq = 0;

/** Routes one caller in `queue` and returns the agent(s) the strategy picked (still reserved). */
export async function pick(
  f: RoutingFixture,
  queue: string,
  skills?: Record<string, number>,
): Promise<string[]> {
  const callId = `call-${++seq}`;
  await f.enqueue(queue, { callId, skills });
  const d = await f.store.dispatchCall(callId);
  if (d.kind !== 'offered') return [];
  // hand the agents back untouched: the caller hangs up before anyone answers
  await f.store.abandon(callId);
  return d.agents;
}

/** An agent talks `talkSeconds` on a call from `queue` (only that agent is offered it). */
export async function serve(f: RoutingFixture, queue: string, agent: string, talkSeconds: number) {
  const callId = `call-${++seq}`;
  await f.enqueue(queue, { callId });
  const d = await f.store.dispatchAgent(agent);
  if (d.kind !== 'offered' || d.callId !== callId) throw new Error(`${agent} did not get ${callId}`);
  await f.store.answered(callId, agent);
  f.clock.advance(talkSeconds * 1000);
  await f.store.callEnded(callId, agent, 0);
}

/** Starts a call for `agent` and returns a function that ends it (talk = time in between). */
export async function startCall(
  f: RoutingFixture,
  queue: string,
  agent: string,
): Promise<() => Promise<void>> {
  const callId = `call-${++seq}`;
  await f.enqueue(queue, { callId });
  const d = await f.store.dispatchAgent(agent);
  if (d.kind !== 'offered' || d.callId !== callId) throw new Error(`${agent} did not get ${callId}`);
  await f.store.answered(callId, agent);
  return async () => {
    await f.store.callEnded(callId, agent, 0);
  };
}
