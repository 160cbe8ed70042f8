--[[
  Agent-driven decision: an agent is free; finds the best waiting call it may take in any of its
  queues (highest priority, then longest waiting) and reserves it. Each queue's requirement
  classes are visited in the order of their best caller; the first class the agent qualifies for
  holds the best call for it in that queue. Calls whose step ended are moved to their new class
  first (up to 8 per run; the sweep and the owner's timers do the rest). Visits at most ARGV[4] classes per queue in one run
  and returns a cursor to go on from when that was not enough, so a run stays short.

  Input:
    KEYS[1] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] agent id
    ARGV[4] classes to visit per queue in this run
    ARGV[5] cursor from the previous run ('' to start): `queue=offset,...`
    ARGV[6] the node deciding (the owner node is sent the offer on its stream only if it is another)

  Also touches: K.refiles, K.classes(queue), K.classWaiting(queue, class), K.skipped, calls'
  hashes, K.available(queue), K.availableBits, K.reservations, K.offers(owner node).
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

-- keep the classes current: calls whose step ended move first (a few per run)
refile_due(8)
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
local mine = '@' .. id
local p = rcall('HMGET', KEYS[1], 'skills', 'languages')
local profile = profile_of(p[1], p[2])

-- The best call of a class this agent may take: its head, unless the agent was skipped for it.
local function best_in_class(q, class)
  local from, size = 0, 1
  while from < 64 do
    local members = rcall('ZRANGE', K.classWaiting(q, class), from, from + size - 1, 'WITHSCORES')
    for i = 1, #members, 2 do
      local callId = members[i]
      if rcall('HGET', K.call(callId), 'skips') ~= '1' or rcall('SISMEMBER', K.skipped(callId), id) == 0 then
        return callId, tonumber(members[i + 1])
      end
    end
    if #members < size * 2 then return nil end
    from, size = from + size, 16
  end
  return nil
end

local best, bestScore = nil, nil
local more = {}
for _, q in ipairs(a.qlist) do
  -- a continuation only goes on with the queues the cursor lists
  local offset = cursor[q]
  if ARGV[5] == '' then offset = 0 end
  if offset then
    local stop = offset + page
    local batch = 8
    local done = false
    while not done and offset < stop do
      local want = math.min(offset + batch, stop) - offset
      local classes = rcall('ZRANGE', K.classes(q), offset, offset + want - 1, 'WITHSCORES')
      for i = 1, #classes, 2 do
        local class, head = classes[i], tonumber(classes[i + 1])
        if bestScore and head >= bestScore then done = true break end
        local ok
        if is_affinity(class) then
          ok = class == mine
        else
          ok = class == ANY or meets(profile, class)
        end
        if ok then
          local callId, score = best_in_class(q, class)
          if callId and (not bestScore or score < bestScore) then
            best, bestScore = callId, score
            done = true
            break
          end
        end
      end
      offset = offset + #classes / 2
      if #classes < want * 2 then done = true end
      batch = 32
    end
    if not done then more[#more + 1] = q .. '=' .. offset end
  end
end

if best then
  local c = load_call(best)
  local _, step = class_at(c)
  reserve(c, { id }, step, ARGV[6])
  return { 'offered', best, step }
end
if #more > 0 then return { 'more', table.concat(more, ',') } end
return { 'none' }
