--[[
  Creates or updates an agent's profile: endpoint, skills, languages, queues, max calls. A new
  agent gets a bitmap index and its initial state; an existing one keeps its live state. The skill
  and language bitmaps and queue memberships are rewritten, and the agent's bit in every built
  eligibility bitmap is set from the new profile.

  Input:
    KEYS[1] agent hash (K.agent(id))
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] agent id
    ARGV[4] display name
    ARGV[5] endpoint (ARI dial string)
    ARGV[6] max concurrent calls
    ARGV[7] queues, comma-separated
    ARGV[8] languages, comma-separated
    ARGV[9] skills as `skill:level,...`
    ARGV[10] initial state for a new agent: 'logged-out' or 'available'

  Also touches: K.agents, K.agentIndex, K.agentSeq, K.skillBits, K.languageBits, K.members,
  K.memberBits, K.staffed, K.available(queue), K.availableBits, K.eligible, K.eligibleSet.
  Event: agent-profile (and agent-state for a new agent logged in at once).
  Output: 'created' or 'updated'.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"

local id = ARGV[3]
local h = KEYS[1]
local idx = rcall('HGET', K.agentIndex(), id)
local created = false
if not idx then
  idx = rcall('INCR', K.agentSeq())
  rcall('HSET', K.agentIndex(), id, idx, '#' .. idx, id)
  created = true
end

local function set_bits(skillsCsv, languagesCsv, bit)
  for pair in string.gmatch(skillsCsv or '', '[^,]+') do
    local c = string.find(pair, ':', 1, true)
    local skill, level = string.sub(pair, 1, c - 1), tonumber(string.sub(pair, c + 1))
    for l = 1, level do rcall('SETBIT', K.skillBits(skill, l), idx, bit) end
  end
  for _, lang in ipairs(split(languagesCsv or '', ',')) do
    rcall('SETBIT', K.languageBits(lang), idx, bit)
  end
end

-- take the old profile out everywhere
local old = load_agent(id)
if old then
  local oldProfile = rcall('HMGET', h, 'skills', 'languages')
  set_bits(oldProfile[1], oldProfile[2], 0)
  old.load = old.maxCalls -- not routable: leaves every old queue's pool
  sync_pools(old, true)
  for _, q in ipairs(old.qlist) do
    rcall('SREM', K.members(q), id)
    rcall('SETBIT', K.memberBits(q), idx, 0)
    rcall('SREM', K.staffed(q), id)
  end
end

if created then
  -- a small hash is a list Redis searches from the front for each field read or written: the
  -- fields a decision reads (index-agents.lua's checked_agent) come first, in that order, then
  -- those a booking writes besides (reserve.lua), then the rest of what load_agent_for_decision
  -- reads
  rcall('HSET', h, 'state', 'logged-out', 'since', NOW_S, 'load', '0', 'maxCalls', ARGV[6], 'idx', idx,
    'reason', '', 'holding', '', 'queues', ARGV[7], 'skills', ARGV[9], 'languages', ARGV[8], 'idle', NOW_S,
    'calls', '0', 'talk', '0', 'missed', '0', 'pending', '')
end
rcall('HSET', h, 'id', id, 'idx', idx, 'name', ARGV[4], 'endpoint', ARGV[5], 'maxCalls', ARGV[6],
  'queues', ARGV[7], 'languages', ARGV[8], 'skills', ARGV[9])
set_bits(ARGV[9], ARGV[8], 1)
rcall('SADD', K.agents(), id)

local a = load_agent(id)
for _, q in ipairs(a.qlist) do
  rcall('SADD', K.members(q), id)
  rcall('SETBIT', K.memberBits(q), idx, 1)
  if a.state ~= 'logged-out' then rcall('SADD', K.staffed(q), id) end
end
refresh_eligibility(idx, ARGV[9], ARGV[8])
qlog('agent-profile', nil, nil, id, nil, { queues = ARGV[7], skills = ARGV[9], languages = ARGV[8] })

if created and ARGV[10] == 'available' then
  agent_move(a, 'available', 'login')
  rcall('HSET', h, 'loginAt', NOW)
  for _, q in ipairs(a.qlist) do rcall('SADD', K.staffed(q), id) end
end
sync_pools(a)
if created then return 'created' end
return 'updated'
