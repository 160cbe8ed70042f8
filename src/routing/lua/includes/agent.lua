-- Agents: read one, move it through its state machine (AGENT_MOVES, from agent-state.ts), and keep
-- it in or out of its queues' `available` sets (and their per-skill parts).

local AGENT_FIELDS = { 'state', 'reason', 'since', 'load', 'maxCalls', 'idx', 'queues', 'idle', 'calls',
  'talk', 'missed', 'pending', 'holding', 'skills', 'languages' }

-- The skill names of a profile's `skill:level,...`; pure, so kept between calls (library cache).
local skill_names_cache, skill_names_count = {}, 0
local function skill_names(skillsCsv)
  local names = skill_names_cache[skillsCsv]
  if names then return names end
  names = {}
  for name in string.gmatch(skillsCsv, '([^,:]+):[^,]*') do names[#names + 1] = name end
  if skill_names_count >= CACHE_MAX then skill_names_cache, skill_names_count = {}, 0 end
  skill_names_cache[skillsCsv] = names
  skill_names_count = skill_names_count + 1
  return names
end

-- The queues of a profile's `q1,q2`, as skill_names (callers only read the list).
local queue_lists, queue_lists_count = {}, 0
local function queue_list(queuesCsv)
  local list = queue_lists[queuesCsv]
  if list then return list end
  list = split(queuesCsv, ',')
  if queue_lists_count >= CACHE_MAX then queue_lists, queue_lists_count = {}, 0 end
  queue_lists[queuesCsv] = list
  queue_lists_count = queue_lists_count + 1
  return list
end

-- `key`: the hash's key, made once for the reads and writes of the run.
local function load_agent(id)
  local key = K.agent(id)
  local v = rcall('HMGET', key, unpack(AGENT_FIELDS))
  if not v[1] then return nil end
  -- one constructor: the table is sized once instead of growing field by field
  local a = {
    id = id, key = key, state = v[1], reason = v[2] or '', since = tonumber(v[3]) or NOW, load = tonumber(v[4]) or 0,
    maxCalls = tonumber(v[5]) or 1, idx = v[6] or '', queues = v[7] or '', idle = tonumber(v[8]) or 0,
    calls = tonumber(v[9]) or 0, talk = tonumber(v[10]) or 0, missed = tonumber(v[11]) or 0,
    pending = v[12] or '', holding = v[13] or '', skills = v[14] or '', languages = v[15] or '',
    qlist = false, slist = false, served = 0, idleS = 0,
  }
  a.qlist = queue_list(a.queues)
  a.slist = skill_names(a.skills)
  return a
end

-- The fields a decision needs, in the HMGET below (each field read costs: a decision reads only
-- these; written out, as unpack of a list is a call more per read). What the strategies' scores
-- need (idle, calls, talk) is read by sync_pools if the agent stays routable.

-- The record holds only what a decision and a reservation use (each field costs on every
-- decision); `slist`, the skill names, is left to the agent-driven decision that reads it. The
-- table is a pooled one (util.lua's rec_take): every field any code sets on it is set here.
-- `idxN`: the bitmap index as a number (tonumber costs two string-to-number conversions).
local function load_agent_for_decision(id)
  local key = K.agent(id)
  local v = rcall('HMGET', key, 'state', 'since', 'load', 'maxCalls', 'idx', 'queues', 'holding', 'skills', 'languages')
  if not v[1] then return nil end
  local a = rec_take(agent_recs)
  -- numbers by arithmetic (`+ 0`: one conversion, where tonumber makes two): these fields hold
  -- numbers whenever present, as this library writes them
  local since, load, maxCalls, idx = v[2], v[3], v[4], v[5]
  a.id, a.key, a.state, a.since, a.load = id, key, v[1], since and since + 0 or NOW, load and load + 0 or 0
  a.maxCalls, a.idx, a.idxN, a.queues, a.holding = maxCalls and maxCalls + 0 or 1, idx or '', idx and idx + 0, v[6] or '', v[7] or ''
  a.skills, a.languages, a.qlist, a.slist, a.partial = v[8] or '', v[9] or '', queue_list(v[6] or ''), false, true
  -- read by sync_pools when the agent stays routable (partial); set there
  a.reason, a.idle, a.calls, a.talk, a.served, a.idleS, a.light = '', nil, nil, nil, nil, nil, false
  return a
end

-- An agent record's bitmap index as a number (a decision's record has it made).
local function agent_idx(a)
  return a.idxN or tonumber(a.idx)
end

-- Free to take a call: available, or talking with room for another (maxCalls > 1).
local function routable(a)
  if a.load >= a.maxCalls then return false end
  return a.state == 'available' or a.state == 'on-call'
end

-- Puts the agent into (or takes it out of) the `available` set of each of its queues, scored by
-- each queue's strategy, the global availability bitmap, and the match index (index.lua: in each
-- queue's order, by skill). The sets and the bitmap hold the agent's bitmap index; `#<index>` in
-- K.agentIndex gives the id back.
local function sync_pools(a)
  if #a.qlist == 0 then
    ix_agent_out(a)
    return
  end
  local m = a.idx
  if routable(a) then
    if a.partial then
      local v = rcall('HMGET', a.key, 'idle', 'calls', 'talk')
      a.idle, a.calls, a.talk = tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or 0
      a.partial = false
    end
    local strategies = rcall('HMGET', K.strategies(), unpack(a.qlist))
    a.idleS = math.floor(a.idle / 1000) - 1577836800
    local filed = {}
    for i, q in ipairs(a.qlist) do
      local strategy = strategies[i] or 'longest-idle'
      a.served = 0
      if strategy == 'round-robin' then
        a.served = tonumber(rcall('HGET', a.key, 'served:' .. q)) or 0
      end
      local score = strategy_score(strategy, a)
      if RUN_WRITES then run_repooled(q, m) end
      rcall('ZADD', K.available(q), score, m)
      filed[#filed + 1] = q
      filed[#filed + 1] = strategy
      filed[#filed + 1] = score
    end
    set_available_bit(m, 1)
    ix_agent_in(a, filed)
  else
    for _, q in ipairs(a.qlist) do
      if RUN_WRITES then
        -- in a run of decisions: taken out of the set at the run's end (util.lua)
        local list = run_queue_list(RUN_WRITES.unpooled, q)
        list[#list + 1] = m
      else
        rcall('ZREM', K.available(q), m)
      end
    end
    set_available_bit(m, 0)
    ix_agent_out(a)
  end
end

-- Whether the agent at bitmap index `idx` is in queue q's available set, with the run's pending
-- removals (sync_pools) counted as done.
local function in_pool(q, idx)
  local gone = RUN_WRITES and RUN_WRITES.unpooled[q]
  if gone and contains(gone, idx) then return false end
  return rcall('ZSCORE', K.available(q), idx) ~= false
end

-- One move of the state machine; false when AGENT_MOVES does not allow it. Logs how long the
-- agent spent in the state it leaves (occupancy and per-agent KPIs come from these), unless
-- `quiet` (the caller logs an event carrying the same). Further arguments are field/value pairs
-- written in the same HSET.
local function agent_move(a, to, reason, quiet, ...)
  local from = a.state
  if not (AGENT_MOVES[from] and AGENT_MOVES[from][to]) then return false end
  rcall('HSET', a.key, 'state', to, 'reason', reason or '', 'since', NOW_S, ...)
  if not quiet then
    qlog('agent-state', nil, nil, a.id, nil, { from = from, to = to, ms = NOW - a.since, reason = reason })
  end
  a.state = to
  a.reason = reason or ''
  a.since = NOW
  return true
end

-- The agent is free again (a call ended, a reservation was released): the next state is the one
-- asked for while busy (`pending`), else `to`; `idle` restarts the longest-idle clock. A pending
-- state that cannot be reached from here directly (ringing → logged-out) passes through available.
local function agent_free(a, to, reason)
  if a.pending ~= '' then
    local p = split(a.pending, ':')
    if to == 'available' or p[1] == 'logged-out' then to, reason = p[1], p[2] end
  end
  local h = a.key
  if not (AGENT_MOVES[a.state] and AGENT_MOVES[a.state][to]) and to ~= 'available' then
    if not agent_move(a, 'available', nil) then return false end
  end
  if a.state ~= to or to == 'aux' then
    if not agent_move(a, to, reason) then return false end
  end
  rcall('HSET', h, 'pending', '')
  a.pending = ''
  if to == 'available' then
    a.idle = NOW
    rcall('HSET', h, 'idle', NOW_S)
  end
  if to == 'logged-out' then
    for _, q in ipairs(a.qlist) do rcall('SREM', K.staffed(q), a.id) end
  end
  return true
end
