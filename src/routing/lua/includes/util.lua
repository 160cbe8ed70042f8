-- Small helpers shared by the scripts.

-- Entries in each library-level cache of pure parse results before it is emptied. Kept small:
-- every entry is live Lua heap, which the garbage collector walks again and again while the
-- scripts allocate, slowing every run (10,000 random agent profiles cached made each decision
-- markedly slower); a small cache still serves a contact center's few distinct profiles.
local CACHE_MAX = 1000

-- Splits on a one-character separator, keeping empty fields ('a||b' → {'a', '', 'b'}).
local function split(s, sep)
  local t = {}
  if not s or s == '' then return t end
  local n = 0
  for part in string.gmatch(s .. sep, '([^' .. sep .. ']*)' .. sep) do
    n = n + 1
    t[n] = part
  end
  return t
end

-- A number as redis.call's argument or in a string: small counts (loads, steps) from a table, others
-- formatted. Formatting a number (sprintf, in Redis or in Lua) costs more than most commands a
-- decision runs, so hot paths hand Redis text.
-- (written out: a library's top level may not call tostring while it loads)
local SMALL_INTS = { [0] = '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15' }
local function num_s(n)
  return SMALL_INTS[n] or tostring(n)
end

-- The table at t[key], made empty there first if there is none.
local function table_at(t, key)
  local v = t[key]
  if not v then
    v = {}
    t[key] = v
  end
  return v
end

-- Decision records: the tables load_agent_for_decision and load_waiting_call fill are taken from
-- these pools and used again run after run (a record never outlives its run: nothing keeps one),
-- so a decision builds no table for them. Building one (a key at a time into its hash part) and
-- collecting it again cost about a tenth of a call-driven decision. Each load sets every field its
-- loader lists: a field some code sets on such a record must be in that list, or it would carry
-- over to the record's next use.
local REC_POOL_MAX = 64
local agent_recs, call_recs = { n = 0 }, { n = 0 }
local function rec_take(pool)
  local n = pool.n + 1
  if n > REC_POOL_MAX then return {} end
  pool.n = n
  return table_at(pool, n)
end
local function rec_run_begin()
  agent_recs.n = 0
  call_recs.n = 0
end

local function contains(list, x)
  for _, v in ipairs(list) do
    if v == x then return true end
  end
  return false
end

-- Lists a run fills and then drops are kept from run to run and emptied when the next begins: a
-- table made afresh grows a slot at a time, and Lua 5.1 rebuilds it at each power of two (a
-- call-driven decision made ~15 such rebuilds of its run's tables, a few hundred instructions
-- each, besides the garbage). Only lists (filled with t[#t + 1], no holes): emptying one from the
-- end keeps its room.
local function list_empty(t)
  for i = #t, 1, -1 do t[i] = nil end
  return t
end

-- A run's own list `name`, empty (one user per name in a run).
local scratch_lists = {}
local function scratch_list(name)
  return list_empty(table_at(scratch_lists, name))
end

-- Writes that a run of several decisions makes once for all of them: the log entries, the
-- reservations' deadlines and the calls leaving their queue's line. Nothing a later decision of
-- the same run reads: what decisions read (agents, bitmaps, classes) is written at once. nil
-- outside such a run (every function call starts with nil: see lua/index.ts); in one, the lists
-- of RUN_SCRATCH, kept between runs and emptied where the run's end writes them (`open`: a run
-- began and has not reached its end; the next then starts from new lists).
local RUN_WRITES = nil
local RUN_SCRATCH = { log = {}, reservations = {}, bits = {}, lines = {}, unpooled = {}, queues = 0, open = false }
-- queue names the per-queue lists are kept for (the lists of other key bases' queues included)
local RUN_QUEUES_MAX = 64

-- The routing log stream's length, roughly (XADD MAXLEN ~): as text, see num_s.
local LOG_MAXLEN = '200000'

-- `lines` and `unpooled` hold a list per queue: the calls that left its line, the agents (bitmap
-- indexes) that left its available set in the run, taken out once at the end. No decision of the
-- run reads who is in those sets but through the availability bitmap, which is changed at once
-- (sync_pools), or through in_pool (agent.lua). `bits` holds BITFIELD's arguments.
local function run_writes_begin()
  local w = RUN_SCRATCH
  if w.open then
    -- the last run failed half way: what it left is not written
    w.log, w.reservations, w.bits, w.lines, w.unpooled, w.queues = {}, {}, {}, {}, {}, 0
  elseif w.queues > RUN_QUEUES_MAX then
    w.lines, w.unpooled, w.queues = {}, {}, 0
  end
  w.open = true
  RUN_WRITES = w
end

-- Queue q's list in `lists` (RUN_WRITES.lines or .unpooled).
local function run_queue_list(lists, q)
  local list = lists[q]
  if list then return list end
  RUN_WRITES.queues = RUN_WRITES.queues + 1
  return table_at(lists, q)
end

-- Agent m is back in queue q's available set: no longer to be taken out at the end.
local function run_repooled(q, m)
  local list = RUN_WRITES.unpooled[q]
  if not list then return end
  for i = #list, 1, -1 do
    if list[i] == m then table.remove(list, i) end
  end
end

-- `bits`: agents' bits of the availability bitmap changed in the run, as BITFIELD SETs in the
-- order made (a later SET of the same bit wins), written in one BITFIELD; the decisions of the run
-- find agents in the match index, so only a run that reads the bitmap (find.lua, without an
-- index) writes them first.
local function run_flush_bits()
  local w = RUN_WRITES
  if not w or #w.bits == 0 then return end
  rcall('BITFIELD', K.availableBits(), unpack(w.bits))
  list_empty(w.bits)
end

-- One agent's bit in the availability bitmap: at once, or with the run's others (run_flush_bits).
local function set_available_bit(m, v)
  local w = RUN_WRITES
  if not w then
    rcall('SETBIT', K.availableBits(), m, v)
    return
  end
  local bits = w.bits
  local n = #bits
  bits[n + 1], bits[n + 2], bits[n + 3], bits[n + 4] = 'SET', 'u1', m, v == 1 and '1' or '0'
end

local function run_writes_end()
  run_flush_bits()
  local w = RUN_WRITES
  RUN_WRITES = nil
  if #w.reservations > 0 then rcall('ZADD', K.reservations(), unpack(w.reservations)) end
  list_empty(w.reservations)
  -- (both by queue name: a key is built once here, not once per decision)
  for q, ids in pairs(w.lines) do
    if #ids > 0 then rcall('ZREM', K.waiting(q), unpack(ids)) end
    list_empty(ids)
  end
  for q, members in pairs(w.unpooled) do
    if #members > 0 then rcall('ZREM', K.available(q), unpack(members)) end
    list_empty(members)
  end
  if #w.log > 0 then rcall('XADD', K.log(), 'MAXLEN', '~', LOG_MAXLEN, '*', unpack(w.log)) end
  list_empty(w.log)
  w.open = false
end

-- Appends one event to the routing log stream (read into Postgres queue_log): one field `v`,
-- `time|event|queue|call|agent|wait|data` (data last, as JSON, so it may hold any text). `data`
-- is a table, JSON text already made (the hot paths: cheaper than cjson) or nil; `wait` the ms the
-- caller had waited, or nil. One field keeps the entry small. In a run of several decisions the
-- events go in one entry, one `v` field each, in order (queue-log.ts reads each as a row).
-- qlog_line appends a line already made in that format (reserve.lua makes its own in one go).
local function qlog_line(v)
  if RUN_WRITES then
    local log = RUN_WRITES.log
    log[#log + 1] = 'v'
    log[#log + 1] = v
    return
  end
  rcall('XADD', K.log(), 'MAXLEN', '~', LOG_MAXLEN, '*', 'v', v)
end

local function qlog(event, queue, call, agent, wait, data)
  if type(data) == 'table' then data = cjson.encode(data) end
  qlog_line(NOW_S .. '|' .. event .. '|' .. (queue or '') .. '|' .. (call or '') .. '|' .. (agent or '') .. '|' ..
    (wait or '') .. '|' .. (data or ''))
end

-- The match index (index.lua) is kept up to date by agent.lua and call.lua, which come before
-- it: these are its entry points, defined there.
local IX_ON = true -- false where no library memory lasts between runs (EVAL)
local ix_run_begin, ix_forget, ix_open, ix_touch, ix_drop
local ix_agent_in, ix_agent_out, ix_call_in, ix_call_out, ix_card_drop, ix_refiles_at
