-- The match index's agents (index.lua): packed profiles, each queue's parts of free agents in
-- the queue's order, the walk that finds a call's agents, and a free agent as the index files it
-- (light_agent) checked against its hash before a booking (checked_agent).

-- Profiles packed into numbers, so a walk checks an agent against a requirement with arithmetic
-- on a number or two instead of a table per skill (fewer lookups, each a likely cache miss in a
-- large table, and a smaller heap for the collector): each skill the index meets gets a slot,
-- SKILLS_PER skills to a number, a level (1–5) in 3 bits of it; each language a bit,
-- LANGS_PER to a number. pk[group][idx] and pl[group][idx] hold an agent's numbers (nil: 0).
-- A requirement compiles to checks {table, m_hi, m_lo, need}: the agent meets one when
-- P % m_hi - P % m_lo >= need (P = table[idx]), that is when the slot's field is at least the level.
local SKILLS_PER, LANGS_PER = 16, 48

-- The table, modulus and weight of a skill's (or language's) slot, made on first sight.
local function ix_slot(ix, kind, name)
  local slots, count, per, packed, bits = ix.sslot, 'nsk', SKILLS_PER, ix.pk, 8
  if kind == 'lang' then slots, count, per, packed, bits = ix.lslot, 'nlg', LANGS_PER, ix.pl, 2 end
  local n = slots[name]
  if not n then
    n = ix[count]
    ix[count] = n + 1
    slots[name] = n
  end
  local group = (n - n % per) / per + 1
  local t = table_at(packed, group)
  local weight = bits ^ (n % per)
  return t, weight * bits, weight
end

-- A requirement class as checks on packed profiles; kept per index (slots are the index's own).
-- An affinity window's class (`@agent`) compiles to { affinity = true }: no profile meets it.
local function ix_compiled(ix, class)
  local checks = ix.reqs[class]
  if checks then return checks end
  if ix.nreqs >= CACHE_MAX then ix.reqs, ix.nreqs = {}, 0 end
  ix.nreqs = ix.nreqs + 1
  if is_affinity(class) then
    checks = { affinity = true }
    ix.reqs[class] = checks
    return checks
  end
  local p = parse_requirement(class)
  checks = {}
  local function add(t, hi, lo, need)
    checks[#checks + 1] = t
    checks[#checks + 1] = hi
    checks[#checks + 1] = lo
    checks[#checks + 1] = need
  end
  if p.lang then
    local t, hi, lo = ix_slot(ix, 'lang', p.lang)
    add(t, hi, lo, lo)
  end
  for _, sk in ipairs(p.skills) do
    local t, hi, lo = ix_slot(ix, 'skill', sk[1])
    add(t, hi, lo, math.min(sk[2], 7) * lo)
  end
  ix.reqs[class] = checks
  return checks
end

-- An agent's skills and languages, packed, by bitmap index.
local function ix_profile(ix, idx, skills, languages)
  if ix.psk[idx] == skills and ix.plg[idx] == languages then return end
  for _, t in pairs(ix.pk) do t[idx] = nil end
  for _, t in pairs(ix.pl) do t[idx] = nil end
  for name, level in string.gmatch(skills, '([^,:]+):([^,]*)') do
    local t, _, lo = ix_slot(ix, 'skill', name)
    t[idx] = (t[idx] or 0) + math.min(math.max(tonumber(level) or 0, 0), 7) * lo
  end
  for lang in string.gmatch(languages, '[^,]+') do
    local t, hi, lo = ix_slot(ix, 'lang', lang)
    local v = t[idx] or 0
    if v % hi - v % lo == 0 then t[idx] = v + lo end
  end
  ix.psk[idx], ix.plg[idx] = skills, languages
end

-- An agent's level of a skill as the index files it (0: none).
local function ix_level(ix, idx, skill)
  local t, hi, lo = ix_slot(ix, 'skill', skill)
  local v = t[idx] or 0
  return (v % hi - v % lo) / lo
end

-- Whether the index files agent `idx` with this profile (the strings of its hash), so that what
-- ix_meets says of it holds for the agent.
local function ix_knows_profile(ix, idx, skills, languages)
  return ix.psk[idx] == skills and ix.plg[idx] == languages
end

-- Whether agent idx meets the compiled requirement `checks` (from check `from`, 1 by default:
-- a walk that has made the first two itself asks for the rest).
local function ix_meets(idx, checks, from)
  for j = from or 1, #checks, 4 do
    local v = checks[j][idx] or 0
    if v % checks[j + 1] - v % checks[j + 2] < checks[j + 3] then return false end
  end
  return true
end

local function ix_valid(ix, key)
  local idx = key % IX_IDX
  return ix.gen[idx] == (key - idx) / IX_IDX
end

-- Drops the entries no longer valid (agents who left, or were filed again since).
local function ix_compact(ix, p)
  local s, k, n = {}, {}, 0
  for i = p.head, p.n do
    local key = p.k[i]
    if ix_valid(ix, key) then
      n = n + 1
      s[n] = p.s[i]
      k[n] = key
    end
  end
  p.s, p.k, p.head, p.n, p.limit = s, k, 1, n, 2 * n + 64
  -- positions moved: the classes' cursors (ix_walk) are dropped (which also bounds their number)
  p.ver, p.cpos, p.cver = p.ver + 1, {}, {}
end

-- A class's waiting calls in the index (s scores, c call ids, from head), made empty if new.
local function ix_class(qx, class)
  local cl = qx.cls[class]
  if not cl then
    cl = { s = {}, c = {}, head = 1, n = 0 }
    qx.cls[class] = cl
  end
  return cl
end

-- A part of a queue's free agents: entries (s scores, k keys) from `head` to `n`, in the queue's
-- order. `cpos[class]`: a class's cursor, the position before which no valid entry meets the class
-- (so a walk for it starts there), good while `cver[class]` is the part's `ver`, which changes
-- whenever an entry is filed or positions move. Without it every caller of a class walks again
-- past the same free agents who cannot take it (a hard requirement's callers walk far).
local function ix_new_part(limit)
  return { s = {}, k = {}, head = 1, n = 0, limit = limit, ver = 0, cpos = {}, cver = {} }
end

-- Files an entry in its place: by score, then by member as text (the sorted set's order).
local function ix_part_add(ix, qx, name, score, idx, key)
  local p = qx.parts[name]
  if not p then
    p = ix_new_part(64)
    qx.parts[name] = p
  end
  if p.n - p.head + 1 >= p.limit then ix_compact(ix, p) end
  -- an entry filed: it may meet a class whose cursor is past it
  p.ver = p.ver + 1
  local s, k = p.s, p.k
  local lo, hi = p.head, p.n + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local other = s[mid]
    if score < other or (score == other and lt_idx(idx, k[mid] % IX_IDX)) then hi = mid else lo = mid + 1 end
  end
  if lo > p.n then
    s[lo] = score
    k[lo] = key
  elseif lo == p.head and p.head > 1 then
    lo = lo - 1
    p.head = lo
    s[lo] = score
    k[lo] = key
    return
  else
    table.insert(s, lo, score)
    table.insert(k, lo, key)
  end
  p.n = p.n + 1
end

-- Files agent `a` (routable) in each queue of `filed` ({queue, strategy, score, ...}, as
-- sync_pools scored it): its part '' and the part of each of its skills (best-skill queues: of
-- each skill at its level, so the most proficient are read first).
local function ix_file(ix, idx, id, skills, languages, queues, filed)
  ix.id[idx] = id
  ix.idxOf[id] = idx
  ix.aq[idx] = queues
  ix_profile(ix, idx, skills, languages)
  local gen = math.abs(ix.gen[idx] or 0) + 1
  ix.gen[idx] = gen
  local key = gen * IX_IDX + idx
  for i = 1, #filed, 3 do
    local qx = ix_queue(ix, filed[i])
    local best, score = filed[i + 1] == 'best-skill', filed[i + 2]
    qx.strategy = filed[i + 1]
    ix_part_add(ix, qx, '', score, idx, key)
    for name, level in string.gmatch(skills, '([^,:]+):([^,]*)') do
      ix_part_add(ix, qx, best and (name .. ':' .. level) or name, score, idx, key)
    end
  end
end

ix_agent_in = function(a, filed)
  local ix = ix_open(true)
  ix_touch()
  local idx = agent_idx(a)
  if not ix or not idx then return end
  ix_file(ix, idx, a.id, a.skills, a.languages, a.queues, filed)
end

-- Agent idx is no longer free: its entries die (their generation is no longer its).
local function ix_unfile(ix, idx)
  if ix_is_free(ix, idx) then ix.gen[idx] = -(ix.gen[idx] + 1) end
end

-- The bitmap index of agent `id` if the index files it as free, else nil.
local function ix_free_agent(ix, id)
  local idx = ix.idxOf[id]
  if idx and ix.id[idx] == id and ix_is_free(ix, idx) then return idx end
  return nil
end

ix_agent_out = function(a)
  local ix = ix_open(false)
  local idx = agent_idx(a)
  if ix and idx then ix_unfile(ix, idx) end
end

-- Up to `want` bitmap indexes of free agents of part `p` meeting `class` (`checks`: compiled),
-- in order, not skipped for the call. The hot loop of a call-driven decision: it starts at the
-- class's cursor (ix_new_part) and leaves it at the first entry that met the class; the first two
-- checks (most requirements have no more) are held in locals, so an entry costs a lookup or three
-- and some arithmetic. Dead entries (agents no longer free, or filed again since) at the head are
-- passed for good; when a walk passes many elsewhere, the valid ones are packed towards where it
-- stopped, so walks do not pass them again.
local IX_PACK_AT = 32
local function ix_walk(ix, p, checks, class, callId, hasSkips, want, found)
  if not p then return end
  local s, k, gen, ids = p.s, p.k, ix.gen, ix.id
  local t1, h1, l1, n1 = checks[1], checks[2], checks[3], checks[4]
  local t2, h2, l2, n2 = checks[5], checks[6], checks[7], checks[8]
  local more = #checks > 8
  local head, n = p.head, p.n
  local i = head
  if p.cver[class] == p.ver then
    local c = p.cpos[class]
    if c > i then i = c end
  end
  local atHead = i == head
  local first, dead = nil, 0
  while i <= n do
    local key = k[i]
    local idx = key % IX_IDX
    if gen[idx] == (key - idx) / IX_IDX then
      atHead = false
      local ok = true
      if t1 then
        local v = t1[idx] or 0
        if v % h1 - v % l1 < n1 then
          ok = false
        elseif t2 then
          v = t2[idx] or 0
          if v % h2 - v % l2 < n2 then ok = false elseif more then ok = ix_meets(idx, checks, 9) end
        end
      end
      if ok then
        first = first or i
        if not (hasSkips and rcall('SISMEMBER', K.skipped(callId), ids[idx]) == 1) then
          found[#found + 1] = idx
          if #found >= want then break end
        end
      end
    elseif atHead then
      head = i + 1
    else
      dead = dead + 1
    end
    i = i + 1
  end
  p.head = head
  if dead >= IX_PACK_AT then
    local stop = i <= n and i or n
    local w = stop
    for r = stop, head, -1 do
      local key = k[r]
      if ix_valid(ix, key) then
        if r == first then first = w end
        s[w] = s[r]
        k[w] = key
        w = w - 1
      end
    end
    p.head = w + 1
    p.ver = p.ver + 1
  end
  p.cpos[class] = first or i
  p.cver[class] = p.ver
end

-- Up to `want` agents for a call of queue q in class `class`, as bitmap indexes, by the queue's
-- strategy (`pick` as STRATEGY_PICK says); nil when the index cannot tell (filed by another
-- strategy than the queue's: the caller reads the keys).
local function ix_find_agents(ix, q, strategy, class, callId, hasSkips, want)
  local qx = ix.q[q]
  if not qx then return {} end
  if qx.strategy and qx.strategy ~= strategy then return nil end
  local pick = STRATEGY_PICK[strategy] or 'first'
  if pick ~= 'all' then want = 1 end
  local req = ix_compiled(ix, class)
  local main, mainLevel = main_skill(class)
  -- room for one (most strategies take one) made with the table
  local found = { nil }
  if pick == 'most-skilled' and main then
    for level = 5, mainLevel, -1 do
      ix_walk(ix, qx.parts[main .. ':' .. level], req, class, callId, hasSkips, 1, found)
      if #found > 0 then break end
    end
    return found
  end
  ix_walk(ix, qx.parts[main or ''], req, class, callId, hasSkips, want, found)
  return found
end

-- An agent found in the index is not free as the index says (`a`: its hash as read, or nil):
-- out of the index, and filed again from the keys if it is routable after all.
local function ix_repair_agent(ix, idx, a)
  IX_REPAIRS = IX_REPAIRS + 1
  ix_unfile(ix, idx)
  if a and agent_idx(a) == idx and routable(a) then sync_pools(a) end
end

-- A free agent as the match index files it (`light`: its hash not read), pooled as records are
-- (every field set here). `withSkills`: its skill names too (agent-driven decisions walk them).
local function light_agent(ix, id, idx, withSkills)
  local a = rec_take(agent_recs)
  local skills, queues = ix.psk[idx], ix.aq[idx]
  a.id, a.key, a.idx, a.idxN, a.skills, a.languages, a.queues = id, false, false, idx, skills, ix.plg[idx], queues
  a.qlist, a.slist, a.light, a.partial = queue_list(queues), withSkills and skill_names(skills) or false, true, true
  a.state, a.since, a.load, a.maxCalls, a.holding, a.reason = false, false, false, false, false, ''
  a.idle, a.calls, a.talk, a.served, a.idleS = nil, nil, nil, nil, nil
  return a
end

-- A `light` agent about to be booked: its hash's word on what a booking changes (state, since,
-- load, limit; the calls it holds when it holds any), the index's on what the index files (its
-- bitmap index, queues and profile), as those change only where sync_pools files the agent again
-- or, through another copy of the library, with a new stamp (a hand edit of them is not seen).
-- The bitmap index is read too, as text: the sets hold it so, and a number handed to Redis is
-- formatted (sprintf) each time. nil when the hash says it is not free after all (the index
-- repaired from the hash).
local function checked_agent(ix, a)
  local key = K.agent(a.id)
  local v = rcall('HMGET', key, 'state', 'since', 'load', 'maxCalls', 'idx')
  local state, since, load, maxCalls = v[1], v[2], v[3], v[4]
  if state and v[5] then
    a.key, a.state, a.since, a.load, a.idx = key, state, since and since + 0 or NOW, load and load + 0 or 0, v[5]
    a.maxCalls, a.light = maxCalls and maxCalls + 0 or 1, false
    if routable(a) then
      -- (an agent holds no call while its load is 0)
      a.holding = a.load > 0 and (rcall('HGET', key, 'holding') or '') or ''
      return a
    end
  end
  ix_repair_agent(ix, a.idxN, load_agent_for_decision(a.id))
  return nil
end
