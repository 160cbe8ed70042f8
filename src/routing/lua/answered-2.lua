--[[
  An agent answered: the agent goes on-call, the call is connected, and any other agent rung for
  the same call (ring-all) is released without counting a miss. The queue remembers when it last
  served this agent (round robin).

  Input:
    KEYS[1] call hash
    KEYS[2] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] agent id

  Also touches: K.reservations, K.available(queue) and K.availableBits for the released agents.
  Event: answer, release, agent-state.
  Output: {'connected', releasedAgentId...} or {'gone', state} (the call is no longer offered to
  this agent: hang the agent's leg up).
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
if not c or c.state ~= 'offered' or not contains(c.alist, id) then return { 'gone', c and c.state or 'unknown' } end
local a = load_agent(id)
if a.state == 'ringing' or a.state == 'reserved' then
  if a.state == 'reserved' then agent_move(a, 'ringing', c.id) end
  agent_move(a, 'on-call', c.id)
end
rcall('ZREM', K.reservations(), c.id .. ' ' .. id)
rcall('HSET', K.agent(id), 'missed', 0, 'served:' .. c.queue, NOW)
sync_pools(a)

local out = { 'connected' }
for _, other in ipairs(c.alist) do
  if other ~= id then
    release_agent(c, other, false, 0)
    qlog('release', c.queue, c.id, other, NOW - c.enq, nil)
    out[#out + 1] = other
  end
end
call_move(c, 'connected')
rcall('HSET', c.key, 'agent', id, 'agents', id, 'answeredAt', NOW)
qlog('answer', c.queue, c.id, id, NOW - c.enq, nil)
return out
