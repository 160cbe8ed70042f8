-- Finding agents for a call (call-driven). The candidates are AND(requirement bitmap, the queue's
-- members, every available agent), counted with BITCOUNT: none → done at once. The order is the queue's
-- available set (its strategy). With many candidates, walk that set from the front and test each
-- agent's bit (about N/E steps for E candidates among N available agents); with few, read each
-- candidate's score instead (E steps). Choosing by E keeps a decision to about sqrt(N) steps at
-- worst, whether matches are common or rare.

local SCAN_BATCH = 64

local function skipped_agent(callId, hasSkips, id)
  return hasSkips and rcall('SISMEMBER', K.skipped(callId), id) == 1
end

local function agent_id(idx)
  return rcall('HGET', K.agentIndex(), '#' .. idx)
end

-- Whether bit `idx` is set in a bitmap read with GET (Redis bit order: most significant first).
local function bit_in(bytes, idx)
  local byte = string.byte(bytes, math.floor(idx / 8) + 1)
  return byte ~= nil and bit.band(byte, bit.rshift(128, idx % 8)) ~= 0
end

-- The set bits of a bitmap read with GET, in index order (string.find skips zero bytes in C).
local function set_bits(bytes)
  local out = {}
  local at = string.find(bytes, '[^%z]')
  while at do
    local byte = string.byte(bytes, at)
    for b = 0, 7 do
      if bit.band(byte, bit.rshift(128, b)) ~= 0 then out[#out + 1] = (at - 1) * 8 + b end
    end
    at = string.find(bytes, '[^%z]', at + 1)
  end
  return out
end

-- Up to `want` agents from `bits` (eligible and available, E of them) in the order of q's set.
local function first_in_order(q, bits, e, want, callId, hasSkips)
  local n = rcall('ZCARD', K.available(q))
  local found = {}
  if e * e * 4 < n then
    -- few candidates far apart: read each one's score (one ZSCORE each) and rank them
    local cands = {}
    for _, idx in ipairs(set_bits(rcall('GET', bits) or '')) do
      local score = rcall('ZSCORE', K.available(q), idx)
      if score then cands[#cands + 1] = { idx = idx, score = tonumber(score) } end
    end
    table.sort(cands, function(x, y) return x.score < y.score end)
    for _, cand in ipairs(cands) do
      local id = agent_id(cand.idx)
      if id and not skipped_agent(callId, hasSkips, id) then
        found[#found + 1] = id
        if #found >= want then break end
      end
    end
    return found
  end
  -- walk the set in order; about n/e agents come before the first candidate: read that many at
  -- a time. Few to test: a GETBIT each; more: the bitmap read once (GET) and tested here in Lua.
  local expected = math.ceil(n / e) * want
  local bytes = nil
  if expected > 6 then bytes = rcall('GET', bits) or '' end
  local batch = math.max(4, math.min(SCAN_BATCH, 2 * expected))
  local offset = 0
  while offset < n do
    local members = rcall('ZRANGE', K.available(q), offset, offset + batch - 1)
    for _, idx in ipairs(members) do
      local hit
      if bytes then hit = bit_in(bytes, tonumber(idx)) else hit = rcall('GETBIT', bits, idx) == 1 end
      if hit then
        local id = agent_id(idx)
        if id and not skipped_agent(callId, hasSkips, id) then
          found[#found + 1] = id
          if #found >= want then return found end
        end
      end
    end
    if #members < batch then break end
    offset = offset + batch
    batch = SCAN_BATCH
  end
  return found
end

-- Up to `want` agent ids for a call in queue q needing `req`, by the queue's strategy. The
-- scratch bitmaps are left for the next decision to overwrite.
local function find_agents(q, strategy, req, callId, hasSkips, want)
  local pick = STRATEGY_PICK[strategy] or 'first'
  if pick ~= 'all' then want = 1 end
  local ekey = eligible_key(req)
  local bits = K.scratch('eligible')
  if ekey then
    rcall('BITOP', 'AND', bits, ekey, K.memberBits(q), K.availableBits())
  else
    rcall('BITOP', 'AND', bits, K.memberBits(q), K.availableBits())
  end
  local e = rcall('BITCOUNT', bits)
  if e == 0 then return {} end
  local main, mainLevel = nil, 0
  if pick == 'most-skilled' then main, mainLevel = main_skill(req) end
  if not main then return first_in_order(q, bits, e, want, callId, hasSkips) end
  -- the most proficient first: narrow to level 5, 4, ... until someone is left
  local narrowed = K.scratch('level')
  for level = 5, mainLevel, -1 do
    rcall('BITOP', 'AND', narrowed, bits, K.skillBits(main, level))
    local el = rcall('BITCOUNT', narrowed)
    if el > 0 then
      local found = first_in_order(q, narrowed, el, 1, callId, hasSkips)
      if #found > 0 then return found end
    end
  end
  return {}
end
