--[[
  Agent-driven decisions for one or more free agents: for each, finds the best waiting call it may
  take in any of its queues (highest priority, then longest waiting) and reserves it. A node sends
  every agent whose decision is pending in one run (a batch); each is still its own decision,
  made in the order given, and sees the calls the ones before it took. The classes are walked in
  the match index (includes/index.lua), in the same order as in the keys below; the call found
  is checked against its hash before it is booked.
  A queue's requirement classes are indexed in parts, one per first skill (K.classIndex): the
  agent reads the parts of its own skills and the part of classes asking no skill (where the
  affinity classes are too), each in the order of their best caller; the first class of a part the agent
  meets holds the best call for it there. Calls whose step ended are moved to their new class
  first (up to 8 per run; the sweep and the owner's timers do the rest). Visits at most a given
  number of classes per part in one run and returns a cursor to go on from when that was not
  enough, so a run stays short.

  Input:
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] the node deciding (the owner node is sent the offer on its stream only if it is another)
    ARGV[4], ARGV[5], ARGV[6], ... triples: agent id, cursor from its previous run ('' to start),
      classes to visit per part of each queue's class index in this run

  Also touches: K.agent(id), K.refiles, K.classIndex(queue, part), K.classWaiting(queue, class),
  K.skipped, calls' hashes, K.available(queue), K.availableBits, K.indexStamp,
  K.reservations, K.offers(owner node).
  Event: reserve (it carries the agent's move to reserved).
  Output: one flat array (a table per agent costs Redis a nested reply), three values per agent
  in the order given: 'offered', callId, step; 'none', '', ''; 'more', cursor, ''; or 'busy',
  state, ''.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"
--- @include "call"
--- @include "index"
--- @include "index-agents"
--- @include "index-calls"
--- @include "index-build"
--- @include "reserve"

-- the node deciding (ARGV[3]), and the parts of the class index found empty in this run: they
-- stay empty while it runs (its decisions only take calls out of line), so the agents after the
-- first do not read them again (made by the first decision from the keys: only runs without a
-- match index read those parts). Both reset at the start of each run (below, after @run).
local node, empty = nil, nil

-- The best call of a class this agent may take: its head, unless the agent was skipped for it.
-- Also its score as Redis wrote it (a bound for the parts read after) and whether it is the head.
local function best_in_class(id, q, class)
  local from, size = 0, 1
  while from < 64 do
    local members = rcall('ZRANGE', K.classWaiting(q, class), from, from + size - 1, 'WITHSCORES')
    for i = 1, #members, 2 do
      local callId = members[i]
      if rcall('HGET', K.call(callId), 'skips') ~= '1' or rcall('SISMEMBER', K.skipped(callId), id) == 0 then
        return callId, tonumber(members[i + 1]), members[i + 1], from == 0 and i == 1
      end
    end
    if #members < size * 2 then return nil end
    from, size = from + size, 16
  end
  return nil
end

-- A cursor is `queue<TAB>part=offset,...`: the parts not read to the end, and where to go on.
local function parse_cursor(text)
  local cursor = {}
  for item in string.gmatch(text, '[^,]+') do
    local eq = string.find(item, '=[^=]*$')
    cursor[string.sub(item, 1, eq - 1)] = tonumber(string.sub(item, eq + 1))
  end
  return cursor
end

-- The decision from the keys (without a match index): the class index's parts in Redis.
local function decide_from_keys(a, cursorText, page)
  empty = empty or {}
  local id = a.id
  local profile = cached_profile(a.skills, a.languages)
  local cursor = cursorText ~= '' and parse_cursor(cursorText) or nil
  local mine = '@' .. id
  local best, bestScore, bestAtHead = nil, nil, false
  -- once a call is found, later parts are read only below its score ('(' .. its score as Redis
  -- wrote it): Redis leaves out the classes that cannot beat it, and no scores are returned
  -- (each value returned costs, a score's formatting most)
  local bound = '+inf'
  local more = {}

  -- reads one part from `offset`; false (and where it stopped) when the page ran out first
  local function scan(q, part, offset)
    local key = K.classIndex(q, part)
    if empty[key] then return true end
    local stop = offset + page
    local batch = 4
    while offset < stop do
      local want = math.min(offset + batch, stop) - offset
      -- from -inf, so LIMIT's offset is the rank in the part (the cursor's offsets)
      local classes = rcall('ZRANGE', key, '-inf', bound, 'BYSCORE', 'LIMIT', offset, want)
      if offset == 0 and #classes == 0 and bound == '+inf' then empty[key] = true end
      for i = 1, #classes do
        local class = classes[i]
        local ok
        if is_affinity(class) then ok = class == mine else ok = class == ANY or meets(profile, class) end
        if ok then
          local callId, score, scoreText, atHead = best_in_class(id, q, class)
          if callId and (not bestScore or score < bestScore) then
            best, bestScore, bestAtHead = callId, score, atHead
            bound = '(' .. scoreText
            return true
          end
        end
      end
      offset = offset + #classes
      if #classes < want then return true end
      batch = 32
    end
    return false, offset
  end

  for _, q in ipairs(a.qlist) do
    local parts = { '' }
    for _, s in ipairs(a.slist) do parts[#parts + 1] = s end
    for _, part in ipairs(parts) do
      local name = q .. '\t' .. part
      -- a continuation only goes on with the parts the cursor lists
      local offset = 0
      if cursor then offset = cursor[name] end
      if offset then
        local done, at = scan(q, part, offset)
        if not done then more[#more + 1] = name .. '=' .. at end
      end
    end
  end

  if best then
    local c = load_waiting_call(best)
    c.atHead = bestAtHead
    local _, step = class_at(c)
    reserve(c, { id }, step, node, { a })
    return 'offered', best, step
  end
  if #more > 0 then return 'more', table.concat(more, ',') end
  return 'none'
end

-- The decision from the match index (index.lua): the same walk over the index's classes, in the
-- same order (the best caller's score, then the class's name), with the same page and cursor;
-- the call found is checked against its hash, which reserve() reads anyway, and so is a `light`
-- agent's. nil when the index had the call wrong (repaired: ask again), false when it had the
-- agent wrong (repaired: read the agent's hash).
local function decide_from_index(ix, a, cursorText, page)
  -- the agent's skills as the index files them when they are its own (no parse), else parsed
  local idx = a.idxN
  local profile = not (idx and ix_knows_profile(ix, idx, a.skills, a.languages)) and
    cached_profile(a.skills, a.languages)
  local cursor = cursorText ~= '' and parse_cursor(cursorText) or nil
  -- '@<agent id>': made when a class of an affinity window comes up (few do)
  local mine = nil
  local best, bestScore, bestAtHead, bestQ, bestClass = nil, nil, false, nil, nil
  local more = {}
  local slist = a.slist
  for _, q in ipairs(a.qlist) do
    local qx = ix.q[q]
    if qx then
      for pi = 0, #slist do
        local part = pi == 0 and '' or slist[pi]
        local arr = qx.ci[part]
        local offset = 0
        if cursor then offset = cursor[q .. '\t' .. part] end
        if arr and offset then
          local hs, cls = qx.hs, qx.cls
          local stop = offset + page
          for j = offset + 1, #arr do
            if j > stop then
              more[#more + 1] = q .. '\t' .. part .. '=' .. (j - 1)
              break
            end
            local class = arr[j]
            if bestScore and hs[class] >= bestScore then break end
            local checks = ix.reqs[class] or ix_compiled(ix, class)
            local ok = true
            if checks.affinity then
              mine = mine or ('@' .. a.id)
              ok = class == mine
            elseif profile then
              ok = class == ANY or meets(profile, class)
            else
              ok = ix_meets(idx, checks)
            end
            if ok then
              local callId, score, atHead = ix_best_in_class(ix, cls[class], a.id)
              if callId and (not bestScore or score < bestScore) then
                best, bestScore, bestAtHead, bestQ, bestClass = callId, score, atHead, q, class
                break
              end
            end
          end
        end
      end
    end
  end
  if best then
    if a.light then
      a = checked_agent(ix, a)
      if not a then return false end
    end
    local c = load_waiting_call(best)
    if not c or c.state ~= 'waiting' or c.queue ~= bestQ or c.class ~= bestClass or c.scoreN ~= bestScore then
      ix_repair_call(ix, bestQ, bestClass, best, bestScore, c)
      return nil
    end
    c.atHead = bestAtHead
    local _, step = class_at(c)
    reserve(c, { a.id }, step, node, { a })
    return 'offered', best, step
  end
  if #more > 0 then return 'more', table.concat(more, ',') end
  return 'none'
end

-- kind and up to two values (see Output)
local function decide(id, cursorText, page)
  local ix = ix_open(true)
  -- nobody waits in any queue (the index files every waiting call): nothing to read about the
  -- agent. Common when agents outnumber callers, as every call answered frees one.
  if ix and ix.waiting == 0 then return 'none' end
  -- a free agent as the index files it: the classes are walked on the index's word and the
  -- agent's hash is read only when a call is found for it (most agent-driven decisions that find
  -- nobody read nothing)
  local idx = ix and ix_free_agent(ix, id)
  if idx then
    for _ = 1, 8 do
      local kind, x, y = decide_from_index(ix, light_agent(ix, id, idx, true), cursorText, page)
      if kind then return kind, x, y end
      if kind == false then break end
    end
  end
  local a = load_agent_for_decision(id)
  if not a then return 'busy', 'unknown' end
  if not routable(a) then return 'busy', a.state end
  a.slist = skill_names(a.skills)
  -- without a match index (EVAL) the class sets stand in for it (call.lua); with one they are
  -- not kept, and an index that had more stale entries than this run repairs is asked again by
  -- the node, from where this run started ('more')
  if not ix then return decide_from_keys(a, cursorText, page) end
  for _ = 1, 8 do
    local kind, x, y = decide_from_index(ix, a, cursorText, page)
    if kind then return kind, x, y end
  end
  return 'more', cursorText
end

--- @run
node, empty = ARGV[3], nil
-- the match index first (built from the keys if this library has none for them yet)
ix_open(true)
-- keep the classes current: calls whose step ended move first (a few per run)
ix_refile_due(8)
-- writes no decision here reads go once for all at the end (util.lua)
run_writes_begin()
local out = scratch_list('out')
for i = 4, #ARGV - 2, 3 do
  local kind, x, y = decide(ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]))
  local n = #out
  out[n + 1], out[n + 2], out[n + 3] = kind, x or '', y or ''
end
run_writes_end()
return out
