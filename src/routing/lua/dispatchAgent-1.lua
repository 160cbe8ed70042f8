--[[
  Agent-driven decision: an agent is free; finds the best waiting call it may take in any of its
  queues (highest priority, then longest waiting; the call's step at `now` decides eligibility,
  an affinity window keeps a call for its previous agent) and reserves it. Scans at most
  ARGV[4] calls per queue; when that is not enough it returns a cursor to continue from, so one
  run stays short however long the lines are.

  Input:
    KEYS[1] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] agent id
    ARGV[4] calls to scan per queue in this run
    ARGV[5] cursor from the previous run ('' to start): `queue=offset,...`

  Also touches: K.waiting(queue), K.eligible, K.skipped, calls' hashes, K.available(queue),
  K.availableBits(queue), K.reservations, K.offers(owner node).
  Event: reserve, agent-state.
  Output: {'offered', callId, step}, {'none'}, {'more', cursor} or {'busy', state}.
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

local id = ARGV[3]
local page = tonumber(ARGV[4])
local a = load_agent(id)
if not a then return { 'busy', 'unknown' } end
if not routable(a) then return { 'busy', a.state } end

local cursor = {}
for part in string.gmatch(ARGV[5], '[^,]+') do
  local eq = string.find(part, '=', 1, true)
  cursor[string.sub(part, 1, eq - 1)] = tonumber(string.sub(part, eq + 1))
end

local best, bestScore, bestQueue, bestStep = nil, nil, nil, nil
local more = {}
for _, q in ipairs(a.qlist) do
  -- a continuation only goes on with the queues the cursor lists
  local offset = cursor[q]
  if ARGV[5] == '' then offset = 0 end
  if offset then
    local entries = rcall('ZRANGE', K.waiting(q), offset, offset + page - 1, 'WITHSCORES')
    local found = false
    for i = 1, #entries, 2 do
      local member, score = entries[i], tonumber(entries[i + 1])
      if bestScore and score >= bestScore then found = true break end
      local f = split(member, '|')
      local only = affinity_agent(f)
      if not only or only == id then
        local req, step = requirement_at(f)
        local ekey = eligible_key(req)
        if (not ekey or rcall('GETBIT', ekey, a.idx) == 1)
          and (f[2] ~= '1' or rcall('SISMEMBER', K.skipped(f[1]), id) == 0) then
          best, bestScore, bestQueue, bestStep = f[1], score, q, step
          found = true
          break
        end
      end
    end
    if not found and #entries == page * 2 then more[#more + 1] = q .. '=' .. (offset + page) end
  end
end

if best then
  local c = load_call(best)
  reserve(c, { id }, bestStep)
  return { 'offered', best, bestStep }
end
if #more > 0 then return { 'more', table.concat(more, ',') } end
return { 'none' }
