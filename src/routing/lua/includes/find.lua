-- Finding agents for a call (call-driven) from the keys, where there is no match index (index.lua:
-- a Redis without functions, or an index that cannot tell). The candidates are AND(requirement
-- bitmap, the queue's members, every available agent), counted with BITCOUNT: none → done at
-- once. The order is the queue's available set (its strategy). With many
-- candidates, walk that set from the front and test each agent's bit (about N/E steps for E
-- candidates among N agents); with few, read the candidates' scores instead (E of them). Choosing
-- by E keeps a decision to about sqrt(N) steps at worst, whether matches are common or rare.

local SCAN_BATCH = 64

local function skipped_agent(callId, hasSkips, id)
  return hasSkips and rcall('SISMEMBER', K.skipped(callId), id) == 1
end

local function agent_id(idx)
  return rcall('HGET', K.agentIndex(), '#' .. idx)
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

-- Up to `want` agents from `bits` (eligible and available, E of them) in the order of `pool` (the
-- queue's available set: every candidate is in it).
local function first_in_order(pool, bits, e, want, callId, hasSkips)
  local n = rcall('ZCARD', pool)
  local found = {}
  local bytes = rcall('GET', bits) or ''
  if e * e * 4 < n then
    -- few candidates far apart: read their scores (one ZMSCORE) and rank them
    local idxs = set_bits(bytes)
    if #idxs == 0 then return found end
    local scores = rcall('ZMSCORE', pool, unpack(idxs))
    local cands = {}
    for i, idx in ipairs(idxs) do
      if scores[i] then cands[#cands + 1] = { idx = tostring(idx), score = tonumber(scores[i]) } end
    end
    -- the set's own order: by score, then by member (as text), as a walk would meet them
    table.sort(cands, function(x, y)
      if x.score ~= y.score then return x.score < y.score end
      return x.idx < y.idx
    end)
    for _, cand in ipairs(cands) do
      local id = agent_id(cand.idx)
      if id and not skipped_agent(callId, hasSkips, id) then
        found[#found + 1] = id
        if #found >= want then break end
      end
    end
    return found
  end
  -- walk the set in order, testing each agent's bit in the bitmap read once (Redis bit order:
  -- most significant first); about n/e agents come before the first candidate: read a few more,
  -- then twice as many each time (candidates taken earlier leave gaps at the front, so the first
  -- guess is often short; each agent read costs, so the first read is not made long to be safe)
  local batch = math.max(4, math.min(SCAN_BATCH, math.ceil(n / e) * want + 2))
  local offset = 0
  local byte, band, rshift, floor = string.byte, bit.band, bit.rshift, math.floor
  while offset < n and #found < want do
    local members = rcall('ZRANGE', pool, offset, offset + batch - 1)
    for _, idx in ipairs(members) do
      local i = tonumber(idx)
      local at, mask = floor(i / 8) + 1, rshift(128, i % 8)
      local b = byte(bytes, at)
      if b and band(b, mask) ~= 0 then
        local id = agent_id(idx)
        if id and not skipped_agent(callId, hasSkips, id) then
          found[#found + 1] = id
          if #found >= want then break end
        end
      end
    end
    if #members < batch then break end
    offset = offset + batch
    batch = math.min(SCAN_BATCH, batch * 2)
  end
  return found
end

-- Up to `want` agent ids for a call in queue q needing `req`, by the queue's strategy. The
-- candidates are walked in the part of the queue's available set for the skill the requirement
-- asks most of (every candidate has it), or in the whole set when it asks no skill. The scratch
-- bitmaps are left for the next decision to overwrite.
local function find_agents(q, strategy, req, callId, hasSkips, want)
  run_flush_bits()
  local pick = STRATEGY_PICK[strategy] or 'first'
  if pick ~= 'all' then want = 1 end
  -- the requirement's bitmap was built when the call was lined up in this class (line_up; a
  -- decision moves a call to its new class first), so it is not checked again here (a command)
  local ekey = req ~= ANY and K.eligible(req) or nil
  local bits = K.scratch('eligible')
  if ekey then
    rcall('BITOP', 'AND', bits, ekey, K.memberBits(q), K.availableBits())
  else
    rcall('BITOP', 'AND', bits, K.memberBits(q), K.availableBits())
  end
  local e = rcall('BITCOUNT', bits)
  if e == 0 then return {} end
  local main, mainLevel = main_skill(req)
  local pool = K.available(q)
  if pick ~= 'most-skilled' or not main then return first_in_order(pool, bits, e, want, callId, hasSkips) end
  -- the most proficient first: narrow to level 5, 4, ... until someone is left
  local narrowed = K.scratch('level')
  for level = 5, mainLevel, -1 do
    rcall('BITOP', 'AND', narrowed, bits, K.skillBits(main, level))
    local el = rcall('BITCOUNT', narrowed)
    if el > 0 then
      local found = first_in_order(pool, narrowed, el, 1, callId, hasSkips)
      if #found > 0 then return found end
    end
  end
  return {}
end
