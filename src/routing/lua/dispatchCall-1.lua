--[[
  Call-driven decision: finds agents for one waiting call and reserves them. The requirement is
  the call's routing step at `now` (the call moves to that step's class first if its step has
  ended); during an affinity window only the previous agent is tried. The queue's strategy orders
  the candidates (ring-all takes several).

  Input:
    KEYS[1] call hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] random seed (for the random strategy)
    ARGV[5] the node deciding (the owner node is sent the offer on its stream only if it is another)

  Also touches: K.queue, K.available(queue), K.memberBits(queue), K.availableBits, K.eligible, K.scratch,
  K.skipped, the queue's waiting and class sets, agents' hashes, K.reservations, K.offers(owner).
  Event: reserve, agent-state.
  Output: {'offered', step, agentId...}, {'none', step} or {'not-waiting', state}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"
--- @include "call"
--- @include "find"
--- @include "reserve"

math.randomseed(tonumber(ARGV[4]))
local c = load_call(ARGV[3])
if not c then return { 'not-waiting', 'unknown' } end
if c.state ~= 'waiting' then return { 'not-waiting', c.state } end
local class, step = class_at(c)
if class ~= c.class then
  -- its step or affinity window ended: into its new class first
  leave_line(c)
  line_up(c)
end
local qs = rcall('HMGET', K.queue(c.queue), 'strategy', 'ringAllMax')

local agents = {}
if is_affinity(class) then
  local only = string.sub(class, 2)
  local idx = rcall('HGET', K.agentIndex(), only)
  if idx and rcall('ZSCORE', K.available(c.queue), idx) then agents = { only } end
else
  agents = find_agents(c.queue, qs[1] or 'longest-idle', class, c.id, c.skips == '1', tonumber(qs[2]) or 1)
end
if #agents == 0 then return { 'none', step } end
reserve(c, agents, step, ARGV[5])
local out = { 'offered', step }
for _, id in ipairs(agents) do out[#out + 1] = id end
return out
