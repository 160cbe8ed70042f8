-- The match index: which agents are free, in each queue's order, by skill (and level for
-- best-skill queues); which callers wait in which requirement class, best first; kept in the
-- library's own memory (library-level tables last between FCALLs of a loaded function library),
-- one per key base, so a decision finds its candidate without a Redis command.
--
-- The keys stay the durable, authoritative state; the index is derived from them. A decision
-- takes from it what it files (an agent's bitmap index, queues and profile; a waiting call's
-- card: queue, class, score, owner, time of joining, step), which changes only where the index
-- files it again or with a new stamp (below), and checks against the keys what could change
-- without one (the agent still free: state and load; the call still waiting: state); when they
-- disagree it repairs the index and looks again (stale repair).
-- Invariants:
--  * every agent in a queue's available set is filed (free, current generation) in that queue's
--    parts for its skills and in its part '' with the set's score; every waiting call is in its
--    class at its score, and the class is in its part's class order at its head's score. The
--    functions that change those keys change the index in the same run (sync_pools, line_up,
--    leave_line call the ix_ entry points), so no decision misses a match.
--  * the index may hold more (agents or calls no longer free or waiting, when something other
--    than this library instance changed the keys): a decision never books on the index's word
--    alone that they are free or waiting, and what it finds stale it repairs.
--  * something becoming free or waiting through another copy of the library (another version
--    during an upgrade) or by hand would be missed: so every such change writes a new stamp
--    (K.indexStamp), and an index is used only while the stamp is the one it wrote; otherwise
--    (and when there is none: library loaded again, Redis restarted, failover, key base
--    evicted) it is rebuilt from the keys by the next decision.
-- Several controller nodes share one Redis, so one Lua VM and one copy of the library: every
-- FCALL is atomic and sees the index as the last one left it. Functions run on the master only
-- (writes are replicated as effects), so replicas need no index; a promoted replica builds one.
-- Memory: a few large tables of numbers per key base (agents by bitmap index), no table per agent
-- (a large live heap slows the garbage collector on every run); at most IX_MAX_BASES key bases.

local IX_BASES, IX_BASE_COUNT, IX_MAX_BASES = {}, 0, 4
local IX_NONCE, IX_SEQ, IX_USE, IX_BUILDS, IX_REPAIRS = nil, 0, 0, 0, 0
-- an entry of an agent part is generation * IX_IDX + bitmap index (both exact in a double)
local IX_IDX = 16777216
-- this run: nil = not looked up yet, false = none, else the index of BASE
local ix_run = nil
local ix_touched = false
local ix_build

ix_run_begin = function()
  ix_run = nil
  ix_touched = false
end

-- Forgets the index of BASE (rebuilt from the keys when next needed), the stamp left as it is:
-- after a run that failed half way (a Lua error: what it changed in the index may not match what
-- it wrote), and for tests (as a library loaded again would).
-- Stops keeping the index of key base `base` (if any).
local function ix_unkeep(base)
  if IX_BASES[base] then
    IX_BASES[base] = nil
    IX_BASE_COUNT = IX_BASE_COUNT - 1
  end
end

ix_forget = function()
  ix_unkeep(BASE)
  ix_run = false
end

-- Byte order, as a sorted set orders equal scores. Lua's `<` on strings follows the server's
-- locale (strcoll): byte order under C, POSIX and C.UTF-8, which put capitals before small
-- letters and punctuation between them; a language's locale does not, and gets the slow compare.
local function lt_bytes_slow(a, b)
  if a == b then return false end
  local byte = string.byte
  local n = #a < #b and #a or #b
  for i = 1, n do
    local x, y = byte(a, i), byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local function lt_native(a, b) return a < b end
local lt_bytes = ('B' < 'a' and 'Z' < '_' and '_' < 'a' and '-' < '0' and 'a' < '~' and 'ab' < 'a~' and
  '@' < 'A') and lt_native or lt_bytes_slow

-- Whether agent index x comes before y as the available sets order their members, the indexes'
-- decimal texts, in byte order ('10' before '9'), worked out on the numbers: the index holds no
-- string per agent for it. Every live string makes each string Lua creates dearer (a larger
-- table of interned strings, out of the CPU's caches): 40,000 of them doubled the cost of a
-- run of five commands here.
local function digits(n)
  local d, p = 1, 10
  while n >= p do
    d, p = d + 1, p * 10
  end
  return d
end
local function lt_idx(x, y)
  if x == y then return false end
  local dx, dy = digits(x), digits(y)
  if dx == dy then return x < y end
  if dx < dy then
    local xs = x * 10 ^ (dy - dx)
    -- x's text is a prefix of y's: the shorter first
    if xs == y then return true end
    return xs < y
  end
  local ys = y * 10 ^ (dx - dy)
  if ys == x then return false end
  return x < ys
end

local function ix_new_stamp()
  if not IX_NONCE then
    local t = rcall('TIME')
    IX_NONCE = t[1] .. '.' .. t[2]
  end
  IX_SEQ = IX_SEQ + 1
  return IX_NONCE .. ':' .. IX_SEQ
end

-- This run made something free or waiting: a new stamp, so other copies of the index rebuild;
-- this run's index, kept up to date by the caller, takes it.
ix_touch = function()
  if not IX_ON or ix_touched then return end
  ix_touched = true
  local stamp = ix_new_stamp()
  rcall('SET', K.indexStamp(), stamp)
  if ix_run then ix_run.stamp = stamp end
end

-- The index of this run's key base, if this instance has a current one; with `build`, one is
-- built from the keys when there is none.
ix_open = function(build)
  -- most calls come after the first of the run: nothing to look up
  if ix_run then return ix_run end
  if ix_run == nil then
    ix_run = false
    if IX_ON then
      local ix = IX_BASES[BASE]
      if ix then
        if ix.stamp == rcall('GET', K.indexStamp()) then
          ix_run = ix
        else
          ix_unkeep(BASE)
        end
      end
    end
  end
  if not ix_run and build and IX_ON then ix_run = ix_build() end
  if ix_run then
    IX_USE = IX_USE + 1
    ix_run.used = IX_USE
  end
  return ix_run or nil
end

-- Forgets this key base's index (it is rebuilt when next needed) and tells other copies.
ix_drop = function()
  ix_forget()
  if IX_ON then rcall('SET', K.indexStamp(), ix_new_stamp()) end
end

-- `waiting`: the calls filed in all classes (never fewer than wait in line: zero means none does).
-- `gen`: an agent's generation by bitmap index, positive while it is free (filed), negative once
-- it left (the entries of earlier generations are dead). `pk`/`pl`: packed profiles (below).
-- `idxOf`: agent id → bitmap index; `aq`: an agent's queues (the profile's text) by bitmap index.
-- `card`: a waiting call's card by call id (ix_card). `refileAt`: no later than the earliest time
-- in K.refiles (ix_refile_due).
local function ix_new()
  return { stamp = '', used = 0, id = {}, idxOf = {}, gen = {}, psk = {}, plg = {}, aq = {}, pk = {}, pl = {},
    sslot = {}, nsk = 0, lslot = {}, nlg = 0, reqs = {}, nreqs = 0, q = {}, skip = {}, card = {}, waiting = 0,
    refileAt = math.huge }
end

-- Whether the agent at bitmap index idx is free (filed in its queues' parts).
local function ix_is_free(ix, idx)
  local g = ix.gen[idx]
  return g ~= nil and g > 0
end

local function ix_queue(ix, q)
  local qx = ix.q[q]
  if not qx then
    -- parts: agents (s scores, k entries, from head), cls: class → calls (s, c, from head),
    -- ci: part → classes by their head's score, hs: class → its head's score; settings: the queue's
    -- strategy and ring-all width as its hash has them, once read (upsertQueue drops the index)
    qx = { strategy = false, settings = false, parts = {}, cls = {}, ci = {}, hs = {} }
    ix.q[q] = qx
  end
  return qx
end

-- ── agents ──

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

-- ── calls ──

-- A class's calls from `head`: s scores, c ids (false once left), best first.
local function ix_class_pos(cl, score, id)
  local s, c = cl.s, cl.c
  local lo, hi = cl.head, cl.n + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local other = s[mid]
    if other < score or (other == score and lt_bytes(c[mid], id)) then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- The position of `class` (head score `score`) in a part's class order.
local function ix_ci_pos(qx, arr, score, class)
  local lo, hi = 1, #arr + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local other = arr[mid]
    local os = qx.hs[other]
    if os < score or (os == score and lt_bytes(other, class)) then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- The class's head score is now `score` (nil: empty): moves it in its part's class order.
local function ix_ci_set(qx, class, score)
  local old = qx.hs[class]
  if old == score then return end
  local part = class_part(class)
  local arr = table_at(qx.ci, part)
  if old ~= nil then
    local pos = ix_ci_pos(qx, arr, old, class)
    if arr[pos] == class then table.remove(arr, pos) end
  end
  qx.hs[class] = score
  if score ~= nil then table.insert(arr, ix_ci_pos(qx, arr, score, class), class) end
end

local function ix_class_add(ix, q, class, id, score, skips)
  local qx = ix_queue(ix, q)
  local cl = ix_class(qx, class)
  ix.skip[id] = skips or nil
  local pos = ix_class_pos(cl, score, id)
  if pos <= cl.n and cl.c[pos] == id then return end
  ix.waiting = ix.waiting + 1
  if pos > cl.n then
    cl.s[pos] = score
    cl.c[pos] = id
    cl.n = pos
  elseif pos == cl.head and pos > 1 then
    pos = pos - 1
    cl.head = pos
    cl.s[pos] = score
    cl.c[pos] = id
  else
    table.insert(cl.s, pos, score)
    table.insert(cl.c, pos, id)
    cl.n = cl.n + 1
  end
  if pos == cl.head then ix_ci_set(qx, class, score) end
end

-- Takes a call out of its class: true when it was there, then whether the class's head moved
-- and its new head score (nil: the class is empty).
local function ix_class_remove(ix, q, class, id, score)
  ix.skip[id] = nil
  ix.card[id] = nil
  local qx = ix.q[q]
  local cl = qx and qx.cls[class]
  if not cl then return false end
  local pos = score and ix_class_pos(cl, score, id)
  if not pos or pos > cl.n or cl.c[pos] ~= id then
    -- not where its score says (the index is behind the keys): look for it
    pos = nil
    for i = cl.head, cl.n do
      if cl.c[i] == id then
        pos = i
        break
      end
    end
    if not pos then return false end
  end
  ix.waiting = ix.waiting - 1
  if pos == cl.head then
    cl.c[pos] = false
    cl.head = pos + 1
    if cl.head > cl.n then
      qx.cls[class] = nil
      ix_ci_set(qx, class, nil)
      return true, true, nil
    end
    if cl.head > 64 and cl.head > cl.n - cl.head then
      -- drop the left front
      local s, c, n = {}, {}, 0
      for i = cl.head, cl.n do
        n = n + 1
        s[n] = cl.s[i]
        c[n] = cl.c[i]
      end
      cl.s, cl.c, cl.head, cl.n = s, c, 1, n
    end
    local head = cl.s[cl.head]
    ix_ci_set(qx, class, head)
    return true, true, head
  end
  table.remove(cl.s, pos)
  table.remove(cl.c, pos)
  cl.n = cl.n - 1
  return true, false, nil
end

-- A waiting call's card: what a decision needs of it that stays as it is while the call waits in
-- its class, so that a decision reads only the call's state from its hash (call.lua's
-- load_waiting_call): { queue, class, score, owner node, enq, until, step }, `until` the time its
-- class or step may change (false: never). Those fields change only where the call is lined up
-- again (line_up files a new card; another copy of the library doing so moves the stamp) or
-- where the card is dropped (ix_card_drop); what takes a call out of line is seen in its state.
-- `step`, `nextChange`, `stepEnds`: class_at's answer for c's class (c.class) at NOW.
local function ix_card(ix, c, step, nextChange, stepEnds)
  local until_ = nextChange or false
  if stepEnds and (not until_ or stepEnds < until_) then until_ = stepEnds end
  ix.card[c.id] = { c.queue, c.class, call_score(c), c.node, c.enq, until_, step }
end

-- Call c was lined up in c.class: class_at's other answers (call.lua's line_up) make its card.
ix_call_in = function(c, step, nextChange, stepEnds)
  local ix = ix_open(true)
  ix_touch()
  if not ix then return end
  ix_class_add(ix, c.queue, c.class, c.id, call_score(c), c.skips == '1')
  ix_card(ix, c, step, nextChange, stepEnds)
end

-- Call `id` changed in a way its card does not follow (its owner node): the next decision reads
-- its hash.
ix_card_drop = function(id)
  local ix = ix_open(false)
  if ix then ix.card[id] = nil end
end

-- A call was filed in K.refiles at `at` (call.lua's line_up and refile).
ix_refiles_at = function(at)
  local ix = ix_open(false)
  if ix and at < ix.refileAt then ix.refileAt = at end
end

-- The earliest time in K.refiles as the index's `refileAt`.
local function ix_read_refile_at(ix)
  local first = rcall('ZRANGE', K.refiles(), 0, 0, 'WITHSCORES')
  ix.refileAt = first[2] and tonumber(first[2]) or math.huge
end

-- call.lua's refile_due, read only when a call's step may have ended: the index knows no call's
-- can before `refileAt` (every run that files one in K.refiles tells it; one of another copy of
-- the library moves the stamp, and the index built again reads K.refiles).
local function ix_refile_due(limit)
  local ix = ix_open(false)
  if ix and NOW < ix.refileAt then return end
  refile_due(limit)
  if ix then ix_read_refile_at(ix) end
end

ix_call_out = function(c)
  local ix = ix_open(false)
  if not ix then return false end
  return ix_class_remove(ix, c.queue, c.class, c.id, call_score(c))
end

-- The first call of class `cl` that agent `agentId` may take (not skipped for it), within the
-- first 64 as a read of the class's set would go: id, score, whether it is the head.
local function ix_best_in_class(ix, cl, agentId)
  if not cl then return nil end
  local last = math.min(cl.n, cl.head + 63)
  for i = cl.head, last do
    local callId = cl.c[i]
    if not ix.skip[callId] or rcall('SISMEMBER', K.skipped(callId), agentId) == 0 then
      return callId, cl.s[i], i == cl.head
    end
  end
  return nil
end

-- A call found in the index is not as the index says: file it as its hash says (or drop it).
local function ix_repair_call(ix, q, class, id, score, c)
  IX_REPAIRS = IX_REPAIRS + 1
  ix_class_remove(ix, q, class, id, score)
  if c and c.state == 'waiting' and c.class ~= '' and tonumber(c.score) then
    ix_class_add(ix, c.queue, c.class, c.id, tonumber(c.score), c.skips == '1')
  end
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

-- ── building ──

local function ix_sort_part(ix, p)
  local s, k = p.s, p.k
  local order = {}
  for i = 1, p.n do order[i] = i end
  table.sort(order, function(x, y)
    if s[x] ~= s[y] then return s[x] < s[y] end
    return lt_idx(k[x] % IX_IDX, k[y] % IX_IDX)
  end)
  local s2, k2 = {}, {}
  for i = 1, p.n do
    s2[i] = s[order[i]]
    k2[i] = k[order[i]]
  end
  p.s, p.k, p.limit = s2, k2, 2 * p.n + 64
  p.ver = p.ver + 1
end

-- The index of BASE from the keys: the queues' available sets (scores as filed) with the agents'
-- profiles, and the queues' lines with each call's class.
ix_build = function()
  local ix = ix_new()
  IX_BUILDS = IX_BUILDS + 1
  local queues = rcall('SMEMBERS', K.queues())
  if #queues > 0 then
    local strategies = rcall('HMGET', K.strategies(), unpack(queues))
    local filed = {}
    for i, q in ipairs(queues) do
      local strategy = strategies[i] or 'longest-idle'
      ix_queue(ix, q).strategy = strategy
      local m = rcall('ZRANGE', K.available(q), 0, -1, 'WITHSCORES')
      for j = 1, #m, 2 do
        local idx = tonumber(m[j])
        local f = table_at(filed, idx)
        f[#f + 1] = q
        f[#f + 1] = strategy
        f[#f + 1] = tonumber(m[j + 1])
      end
    end
    -- appended in any order (no limit reached: built in one go), then each part sorted once
    for idx, f in pairs(filed) do
      local id = rcall('HGET', K.agentIndex(), '#' .. idx)
      local v = id and rcall('HMGET', K.agent(id), 'skills', 'languages', 'queues')
      if v then
        ix.id[idx] = id
        ix.idxOf[id] = idx
        ix.aq[idx] = v[3] or ''
        ix_profile(ix, idx, v[1] or '', v[2] or '')
        ix.gen[idx] = 1
        local key = IX_IDX + idx
        for i = 1, #f, 3 do
          local qx = ix.q[f[i]]
          local best, score = f[i + 1] == 'best-skill', f[i + 2]
          local function add(name)
            local p = qx.parts[name]
            if not p then
              p = ix_new_part(0)
              qx.parts[name] = p
            end
            p.n = p.n + 1
            p.s[p.n] = score
            p.k[p.n] = key
          end
          add('')
          for name, level in string.gmatch(v[1] or '', '([^,:]+):([^,]*)') do
            add(best and (name .. ':' .. level) or name)
          end
        end
      end
    end
    for _, qx in pairs(ix.q) do
      for _, p in pairs(qx.parts) do ix_sort_part(ix, p) end
    end
    -- the lines are read in order, so each class is filled best first
    for _, q in ipairs(queues) do
      local qx = ix.q[q]
      local w = rcall('ZRANGE', K.waiting(q), 0, -1, 'WITHSCORES')
      for j = 1, #w, 2 do
        local v = rcall('HMGET', K.call(w[j]), 'class', 'skips', 'state', 'node', 'enq', 'plan', 'affAgent',
          'affUntil')
        if v[3] == 'waiting' and v[1] and v[1] ~= '' then
          local cl = ix_class(qx, v[1])
          ix.waiting = ix.waiting + 1
          cl.n = cl.n + 1
          cl.s[cl.n] = tonumber(w[j + 1])
          cl.c[cl.n] = w[j]
          if v[2] == '1' then ix.skip[w[j]] = true end
          local c = { id = w[j], queue = q, class = v[1], scoreN = cl.s[cl.n], node = v[4] or '',
            enq = tonumber(v[5]) or NOW, plan = v[6] or '', affAgent = v[7] or '', affUntil = v[8] or '' }
          -- a card only for a call still in the class of NOW (one whose step ended waits for its refile)
          local class, step, nextChange, stepEnds = class_at(c)
          if class == c.class then ix_card(ix, c, step, nextChange, stepEnds) end
        end
      end
      for class, cl in pairs(qx.cls) do ix_ci_set(qx, class, cl.s[1]) end
    end
  end
  ix_read_refile_at(ix)
  ix.stamp = ix_new_stamp()
  rcall('SET', K.indexStamp(), ix.stamp)
  -- forget the other key bases' indexes that are out of date (their keys changed or deleted):
  -- each is live heap the garbage collector walks on every run
  local here = BASE
  for base, other in pairs(IX_BASES) do
    BASE = base
    local current = other.stamp == rcall('GET', K.indexStamp())
    BASE = here
    if not current then ix_unkeep(base) end
  end
  if not IX_BASES[BASE] then IX_BASE_COUNT = IX_BASE_COUNT + 1 end
  IX_BASES[BASE] = ix
  if IX_BASE_COUNT > IX_MAX_BASES then
    -- forget the key base used least recently
    local oldest, at = nil, math.huge
    for base, other in pairs(IX_BASES) do
      if base ~= BASE and other.used < at then oldest, at = base, other.used end
    end
    if oldest then ix_unkeep(oldest) end
  end
  return ix
end

-- For tests: where the index of BASE disagrees with the keys (nothing when it agrees): each
-- queue's part '' against its available set (the same agents, scores and order); each skill part
-- (and skill-and-level part) holding, in order, exactly the free agents of the queue with that
-- skill (at that level); the profiles against the agents' hashes; each class against the callers
-- in line in it, and each part's class order against the classes' heads.
local function ix_check()
  local ix = ix_open(false)
  if not ix then return { 'no index' } end
  local errs = {}
  local function err(text) errs[#errs + 1] = text end
  local function before(s1, i1, s2, i2) return s1 < s2 or (s1 == s2 and lt_idx(i1, i2)) end
  local filedCalls = 0
  for _, q in ipairs(rcall('SMEMBERS', K.queues())) do
    local qx = ix.q[q] or { parts = {}, cls = {}, ci = {}, hs = {} }
    local m = rcall('ZRANGE', K.available(q), 0, -1, 'WITHSCORES')
    local free = {}
    local p = qx.parts['']
    local j = 1
    if p then
      for i = p.head, p.n do
        local key = p.k[i]
        if ix_valid(ix, key) then
          local idx = key % IX_IDX
          if tostring(idx) ~= m[j] or p.s[i] ~= tonumber(m[j + 1]) then
            err(q .. ': ' .. idx .. ' (' .. p.s[i] .. ') where the available set has ' .. tostring(m[j]))
          end
          free[idx] = true
          j = j + 2
        end
      end
    end
    if j <= #m then err(q .. ': ' .. m[j] .. ' is available but not in the index') end
    local want = {}
    for idx in pairs(free) do
      local id = rcall('HGET', K.agentIndex(), '#' .. idx)
      local v = rcall('HMGET', K.agent(id), 'skills', 'languages')
      if not ix_knows_profile(ix, idx, v[1] or '', v[2] or '') then err(id .. ': profile ' .. tostring(ix.psk[idx])) end
      for name, level in string.gmatch(v[1] or '', '([^,:]+):([^,]*)') do
        local part = qx.strategy == 'best-skill' and (name .. ':' .. level) or name
        want[part] = (want[part] or 0) + 1
      end
    end
    for name, part in pairs(qx.parts) do
      if name ~= '' then
        local skill, level = string.match(name, '^([^:]+):?(%d*)$')
        local n, ps, pi = 0, nil, nil
        for i = part.head, part.n do
          local key = part.k[i]
          if ix_valid(ix, key) then
            local idx = key % IX_IDX
            local lv = ix_level(ix, idx, skill)
            if not free[idx] or lv == 0 or (level ~= '' and lv ~= tonumber(level)) then
              err(q .. ': ' .. idx .. ' in part ' .. name)
            end
            if ps and not before(ps, pi, part.s[i], idx) then err(q .. ': part ' .. name .. ' out of order at ' .. idx) end
            ps, pi = part.s[i], idx
            n = n + 1
          end
        end
        if n ~= (want[name] or 0) then err(q .. ': part ' .. name .. ' holds ' .. n .. ' of ' .. (want[name] or 0)) end
        want[name] = nil
      end
    end
    for name, n in pairs(want) do err(q .. ': part ' .. name .. ' missing (' .. n .. ' agents)') end
    -- calls
    local inLine = {}
    local w = rcall('ZRANGE', K.waiting(q), 0, -1, 'WITHSCORES')
    for k = 1, #w, 2 do
      local v = rcall('HMGET', K.call(w[k]), 'class', 'node', 'enq')
      local class = v[1]
      local list = table_at(inLine, class)
      list[#list + 1] = w[k]
      -- its card, if it has one, says what its hash says
      local card = ix.card[w[k]]
      if card and (card[1] ~= q or card[2] ~= class or card[3] ~= tonumber(w[k + 1]) or card[4] ~= v[2] or
          card[5] ~= tonumber(v[3])) then
        err(q .. ': the card of ' .. w[k] .. ' differs from its hash')
      end
    end
    for class, cl in pairs(qx.cls) do
      local list = inLine[class] or {}
      if cl.n - cl.head + 1 ~= #list then err(q .. ': class ' .. class .. ' holds ' .. (cl.n - cl.head + 1) .. ' of ' .. #list) end
      for k = 1, #list do
        if cl.c[cl.head + k - 1] ~= list[k] then err(q .. ': class ' .. class .. ' has ' .. tostring(cl.c[cl.head + k - 1]) .. ' where the line has ' .. list[k]) end
      end
      if qx.hs[class] ~= cl.s[cl.head] then err(q .. ': class ' .. class .. ' head score') end
      inLine[class] = nil
    end
    for class in pairs(inLine) do err(q .. ': class ' .. class .. ' not in the index') end
    local classes, filed = 0, 0
    for _ in pairs(qx.cls) do classes = classes + 1 end
    for part, arr in pairs(qx.ci) do
      filed = filed + #arr
      for k = 1, #arr do
        local class = arr[k]
        if not qx.cls[class] or class_part(class) ~= part then err(q .. ': class ' .. class .. ' in part ' .. part) end
        if k > 1 then
          local a, b = qx.hs[arr[k - 1]], qx.hs[class]
          if not (a < b or (a == b and lt_bytes(arr[k - 1], class))) then err(q .. ': part ' .. part .. ' out of order') end
        end
      end
    end
    if filed ~= classes then err(q .. ': ' .. filed .. ' classes in the parts of ' .. classes) end
    for _, cl in pairs(qx.cls) do filedCalls = filedCalls + (cl.n - cl.head + 1) end
  end
  if filedCalls ~= ix.waiting then err(ix.waiting .. ' calls counted waiting, ' .. filedCalls .. ' filed') end
  return errs
end

-- For tests and diagnostics: what the index of BASE holds (nil when this instance has none).
local function ix_info()
  if ix_run == false then ix_run = nil end
  local ix = ix_open(false)
  if not ix then return { 'none', IX_BUILDS, 0, 0, math.floor(collectgarbage('count')), IX_REPAIRS } end
  local free, calls = 0, 0
  for _, g in pairs(ix.gen) do
    if g > 0 then free = free + 1 end
  end
  for _, qx in pairs(ix.q) do
    for _, cl in pairs(qx.cls) do calls = calls + (cl.n - cl.head + 1) end
  end
  return { 'built', IX_BUILDS, free, calls, math.floor(collectgarbage('count')), IX_REPAIRS }
end
