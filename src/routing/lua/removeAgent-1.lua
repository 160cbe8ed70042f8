--[[
  Removes a logged-out agent: profile, bitmaps, memberships. Refused while the agent is logged in.

  Input:
    KEYS[1] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] agent id

  Output: 'removed', 'unknown', or {'logged-in', state}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"

local id = ARGV[3]
local a = load_agent(id)
if not a then return 'unknown' end
if a.state ~= 'logged-out' then return { 'logged-in', a.state } end
local p = rcall('HMGET', KEYS[1], 'skills', 'languages')
for pair in string.gmatch(p[1] or '', '[^,]+') do
  local c = string.find(pair, ':', 1, true)
  for l = 1, tonumber(string.sub(pair, c + 1)) do
    rcall('SETBIT', K.skillBits(string.sub(pair, 1, c - 1), l), a.idx, 0)
  end
end
for _, lang in ipairs(split(p[2] or '', ',')) do rcall('SETBIT', K.languageBits(lang), a.idx, 0) end
a.load = a.maxCalls
sync_pools(a, true)
for _, q in ipairs(a.qlist) do
  rcall('SREM', K.members(q), id)
  rcall('SETBIT', K.memberBits(q), a.idx, 0)
  rcall('SREM', K.staffed(q), id)
end
rcall('HDEL', K.agentIndex(), id, '#' .. a.idx)
rcall('SREM', K.agents(), id)
rcall('DEL', KEYS[1])
refresh_eligibility(a.idx, '', '')
qlog('agent-removed', nil, nil, id, nil, nil)
return 'removed'
