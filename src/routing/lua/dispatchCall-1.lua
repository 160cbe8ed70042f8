--[[
  Call-driven decision: finds agents for one waiting call and reserves them. The requirement is
  the call's routing step at `now`; during an affinity window only the previous agent is tried.
  The queue's strategy orders the candidates (ring-all takes several).

  Input:
    KEYS[1] call hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] random seed (for the random strategy)

  Also touches: K.queue, K.available(queue), K.availableBits(queue), K.eligible, K.skipped,
  K.waiting(queue), agents' hashes, K.reservations, K.offers(owner node).
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
local f = split(c.member, '|')
local req, step = requirement_at(f)
local qs = rcall('HMGET', K.queue(c.queue), 'strategy', 'ringAllMax')
local strategy = qs[1] or 'longest-idle'

local agents
local only = affinity_agent(f)
if only then
  agents = {}
  local idx = rcall('HGET', K.agentIndex(), only)
  if idx and rcall('ZSCORE', K.available(c.queue), idx .. ':' .. only) then agents = { only } end
else
  agents = find_agents(c.queue, strategy, req, c.id, f[2] == '1', tonumber(qs[2]) or 1)
end
if #agents == 0 then return { 'none', step } end
reserve(c, agents, step)
local out = { 'offered', step }
for _, id in ipairs(agents) do out[#out + 1] = id end
return out
