-- Finding agents for a call: walk the queue's `available` set from the front (the order of the
-- queue's strategy) and take the first agents the requirement's bitmap allows. When the front is
-- full of agents who do not qualify, AND the requirement with the queue's availability bitmap
-- instead and rank the few agents left: the work stays small whether matches are common or rare.

local SCAN_BATCH = 16
local SCAN_LIMIT = 64
local SPARSE_LIMIT = 256

local function parse_pool_member(m)
  local colon = string.find(m, ':', 1, true)
  return tonumber(string.sub(m, 1, colon - 1)), string.sub(m, colon + 1)
end

local function not_skipped(callId, hasSkips, id)
  return not hasSkips or rcall('SISMEMBER', K.skipped(callId), id) == 0
end

-- Agents of the sparse case, best score first, from AND(requirement, available in q).
local function sparse_candidates(q, ekey)
  local scratch = K.scratch()
  if ekey then
    rcall('BITOP', 'AND', scratch, ekey, K.availableBits(q))
  else
    rcall('BITOP', 'AND', scratch, K.availableBits(q))
  end
  local out = {}
  local pos = rcall('BITPOS', scratch, 1, 0, -1, 'BIT')
  while pos >= 0 and #out < SPARSE_LIMIT do
    local id = rcall('HGET', K.agentIndex(), '#' .. pos)
    if id then
      local score = rcall('ZSCORE', K.available(q), pos .. ':' .. id)
      if score then out[#out + 1] = { idx = pos, id = id, score = tonumber(score) } end
    end
    pos = rcall('BITPOS', scratch, 1, pos + 1, -1, 'BIT')
  end
  rcall('DEL', scratch)
  table.sort(out, function(x, y) return x.score < y.score end)
  return out
end

-- Up to `want` agent ids for a call in queue q needing `req`, by the queue's strategy.
local function find_agents(q, strategy, req, callId, hasSkips, want)
  local ekey = eligible_key(req)
  local pick = STRATEGY_PICK[strategy] or 'first'
  local main, mainLevel = nil, 0
  if pick == 'most-skilled' then main, mainLevel = main_skill(req) end
  if pick ~= 'all' then want = 1 end
  local found, best, bestLevel = {}, nil, -1
  -- returns true when the search is over
  local function consider(idx, id)
    if ekey and rcall('GETBIT', ekey, idx) == 0 then return false end
    if not not_skipped(callId, hasSkips, id) then return false end
    if pick == 'most-skilled' and main then
      local level = agent_level(idx, main, mainLevel)
      if level > bestLevel then best, bestLevel = id, level end
      return level == 5
    end
    found[#found + 1] = id
    return #found >= want
  end
  local scanned, exhausted = 0, false
  while scanned < SCAN_LIMIT do
    local batch = rcall('ZRANGE', K.available(q), scanned, scanned + SCAN_BATCH - 1)
    for _, m in ipairs(batch) do
      local idx, id = parse_pool_member(m)
      if consider(idx, id) then
        if best then return { best } end
        return found
      end
    end
    scanned = scanned + #batch
    if #batch < SCAN_BATCH then exhausted = true break end
  end
  if not exhausted and not best and #found == 0 then
    for _, cand in ipairs(sparse_candidates(q, ekey)) do
      if consider(cand.idx, cand.id) then break end
    end
  end
  if best then return { best } end
  return found
end
