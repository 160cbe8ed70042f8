-- Reserving: the one place a call and agents are tied together. The call leaves the line (it
-- keeps its score to come back to the same place), each agent goes reserved and out of the
-- available sets, a reservation with a deadline guards against a node that dies before dialling,
-- and the owner node gets an offer on its stream.

local RESERVE_GRACE_MS = 15000

-- A reservation's deadline as text, made once per clock reading (every reservation of a run shares it).
local reserve_until_at, reserve_until_s = nil, nil
local function reserve_until()
  if reserve_until_at ~= NOW then reserve_until_at, reserve_until_s = NOW, tostring(NOW + RESERVE_GRACE_MS) end
  return reserve_until_s
end

-- `callerNode` is the node running the decision: it gets the offer in the script's answer, so
-- only another owner needs it on its stream.
-- `loaded` may hold the agents already read (load_agent) in this run, in the order of `agents`.
local function reserve(c, agents, step, callerNode, loaded)
  leave_line(c, true)
  for i, id in ipairs(agents) do
    local a = loaded and loaded[i] or load_agent_for_decision(id)
    a.load = a.load + 1
    a.holding = a.holding == '' and c.id or (a.holding .. ',' .. c.id)
    local from, ms = a.state, NOW - a.since
    if a.state == 'available' then
      agent_move(a, 'reserved', c.id, true, 'load', num_s(a.load), 'holding', a.holding)
    else
      -- maxCalls > 1: a further call while talking; the state stays on-call
      rcall('HSET', a.key, 'load', num_s(a.load), 'holding', a.holding)
      from, ms = nil, nil
    end
    if RUN_WRITES then
      local r = RUN_WRITES.reservations
      r[#r + 1] = reserve_until()
      r[#r + 1] = c.id .. ' ' .. id
    else
      rcall('ZADD', K.reservations(), reserve_until(), c.id .. ' ' .. id)
    end
    sync_pools(a)
    -- also the agent's move to reserved: `from` and the ms spent in it. The log line is made here
    -- in qlog's format, its data included (no cjson on the hot path)
    local moved = from and (',"from":"' .. from .. '","ms":' .. ms) or ''
    qlog_line(NOW_S .. '|reserve|' .. c.queue .. '|' .. c.id .. '|' .. id .. '|' .. (NOW - c.enq) .. '|{"step":' ..
      num_s(step) .. moved .. '}')
  end
  local list = #agents == 1 and agents[1] or table.concat(agents, ',')
  c.state = 'offered'
  rcall('HSET', c.key, 'state', 'offered', 'agents', list, 'offeredAt', NOW_S)
  if c.node ~= callerNode then
    rcall('XADD', K.offers(c.node), 'MAXLEN', '~', '10000', '*', 'call', c.id, 'agents', list)
  end
end

-- Undoes one agent's part in a call (released, no answer, expired, call over): load, the calls
-- it holds, reservation. The caller decides the agent's next state.
local function unreserve(c, a)
  a.load = math.max(0, a.load - 1)
  local rest = {}
  for _, id in ipairs(split(a.holding, ',')) do
    if id ~= c.id then rest[#rest + 1] = id end
  end
  a.holding = table.concat(rest, ',')
  rcall('HSET', a.key, 'load', num_s(a.load), 'holding', a.holding)
  rcall('ZREM', K.reservations(), c.id .. ' ' .. a.id)
end

-- An agent whose reservation or ring ended without a call: free again, unless still busy with
-- another call (maxCalls > 1). `missed` counts toward the aux state `auxReason` (default
-- `missed`) reached after maxMissed misses in a row.
local function release_agent(c, id, missed, maxMissed, auxReason)
  local a = load_agent(id)
  if not a then return end
  unreserve(c, a)
  if missed then
    a.missed = a.missed + 1
    rcall('HSET', K.agent(id), 'missed', a.missed)
  end
  if a.load == 0 and (a.state == 'reserved' or a.state == 'ringing') then
    if missed and a.missed >= maxMissed then
      agent_free(a, 'aux', auxReason or 'missed')
    else
      agent_free(a, 'available')
    end
  elseif a.load == 0 and a.state == 'on-call' then
    -- maxCalls > 1: the talking call ended while this one rang; its wrap-up was skipped then
    agent_move(a, 'wrap-up', c.id)
    agent_free(a, 'available')
  end
  sync_pools(a)
end

-- Puts an offered call back in line at its old place, not to be offered to `skippedAgent` again.
local function requeue(c, skippedAgent)
  if skippedAgent then
    rcall('SADD', K.skipped(c.id), skippedAgent)
    rcall('HSET', c.key, 'skips', '1')
    c.skips = '1'
  end
  call_move(c, 'waiting')
  rcall('HSET', c.key, 'agents', '')
  c.class = ''
  line_up(c)
end
