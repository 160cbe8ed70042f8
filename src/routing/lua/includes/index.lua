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
-- This file keeps the key bases' indexes, the stamp and a run's index (ix_open); the agents'
-- side is in index-agents.lua, the calls' in index-calls.lua, the build from the keys and the
-- check against them in index-build.lua (the library holds them in that order, lua/index.ts).

local IX_BASES, IX_BASE_COUNT, IX_MAX_BASES = {}, 0, 4
local IX_NONCE, IX_SEQ, IX_USE, IX_BUILDS, IX_REPAIRS = nil, 0, 0, 0, 0
-- an entry of an agent part is generation * IX_IDX + bitmap index (both exact in a double)
local IX_IDX = 16777216
-- this run: nil = not looked up yet, false = none, else the index of BASE
local ix_run = nil
local ix_touched = false
-- (index-build.lua)
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
