--[[
  An agent's phone did not take the call (no answer within the ring time, busy, unreachable, or
  the reservation expired). The agent is free again (or in aux `missed` after the queue's
  maxMissed misses in a row, or at once in aux `unreachable` when the phone could not be rung);
  when no other agent is still ringing, the call goes back to its old
  place in line and will not be offered to this agent again.

  Input:
    KEYS[1] call hash
    KEYS[2] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] agent id
    ARGV[5] reason: 'no-answer', 'busy', 'unreachable' or 'expired'
    ARGV[6] misses in a row that put the agent in aux `missed`
    ARGV[7] '1' if the miss counts against the agent, '0' if not (e.g. the node died)

  Also touches: K.waiting(queue), K.skipped(call), K.reservations, agent pools.
  Event: no-answer, requeue, agent-state.
  Output: {'requeued'}, {'ringing-others'} or {'gone', state}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"
--- @include "call"
--- @include "reserve"

local c = load_call(ARGV[3])
local id = ARGV[4]
if not c or (c.state ~= 'offered' and c.state ~= 'connected') or not contains(c.alist, id) or c.agent == id then
  -- not (or no longer) this agent's call: only make sure the reservation does not linger
  rcall('ZREM', K.reservations(), ARGV[3] .. ' ' .. id)
  return { 'gone', c and c.state or 'unknown' }
end
if ARGV[5] == 'unreachable' then
  -- the phone could not be rung at all (not registered, unknown): no point offering it more calls
  release_agent(c, id, true, 1, 'unreachable')
else
  release_agent(c, id, ARGV[7] == '1', tonumber(ARGV[6]))
end
qlog('no-answer', c.queue, c.id, id, NOW - c.enq, { reason = ARGV[5] })
local rest = {}
for _, other in ipairs(c.alist) do
  if other ~= id then rest[#rest + 1] = other end
end
if #rest > 0 then
  rcall('HSET', c.key, 'agents', table.concat(rest, ','))
  rcall('SADD', K.skipped(c.id), id)
  return { 'ringing-others' }
end
if c.state ~= 'offered' then return { 'gone', c.state } end
requeue(c, id)
qlog('requeue', c.queue, c.id, nil, NOW - c.enq, nil)
return { 'requeued' }
