-- Reserving: the one place a call and agents are tied together. The call leaves the waiting set
-- (it keeps its score to come back to the same place), each agent goes reserved and out of the
-- available sets, a reservation with a deadline guards against a node that dies before dialling,
-- and the owner node gets an offer on its stream.

local RESERVE_GRACE_MS = 15000

local function reserve(c, agents, step)
  rcall('ZREM', K.waiting(c.queue), c.member)
  for _, id in ipairs(agents) do
    local a = load_agent(id)
    a.load = a.load + 1
    rcall('HSET', K.agent(id), 'load', a.load)
    if a.state == 'available' then agent_move(a, 'reserved', c.id) end
    rcall('SADD', K.agentCalls(id), c.id)
    rcall('ZADD', K.reservations(), NOW + RESERVE_GRACE_MS, c.id .. ' ' .. id)
    sync_pools(a)
    qlog('reserve', c.queue, c.id, id, NOW - c.enq, { step = step })
  end
  call_move(c, 'offered')
  rcall('HSET', K.call(c.id), 'agents', table.concat(agents, ','), 'offeredAt', NOW)
  rcall('XADD', K.offers(c.node), 'MAXLEN', '~', 10000, '*', 'call', c.id, 'agents', table.concat(agents, ','))
end

-- Undoes one agent's part in a call (released, no answer, expired, call over): load, sets,
-- reservation. The caller decides the agent's next state.
local function unreserve(c, a)
  a.load = math.max(0, a.load - 1)
  rcall('HSET', K.agent(a.id), 'load', a.load)
  rcall('SREM', K.agentCalls(a.id), c.id)
  rcall('ZREM', K.reservations(), c.id .. ' ' .. a.id)
end

-- An agent whose reservation or ring ended without a call: free again, unless still busy with
-- another call (maxCalls > 1). `missed` counts toward the `missed` aux state.
local function release_agent(c, id, missed, maxMissed)
  local a = load_agent(id)
  if not a then return end
  unreserve(c, a)
  if missed then
    a.missed = a.missed + 1
    rcall('HSET', K.agent(id), 'missed', a.missed)
  end
  if a.load == 0 and (a.state == 'reserved' or a.state == 'ringing') then
    if missed and a.missed >= maxMissed then
      agent_free(a, 'aux', 'missed')
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
  local member = c.member
  if skippedAgent then
    rcall('SADD', K.skipped(c.id), skippedAgent)
    local f = split(member, '|')
    f[2] = '1'
    member = table.concat(f, '|')
  end
  call_move(c, 'waiting')
  rcall('HSET', K.call(c.id), 'member', member, 'agents', '')
  rcall('ZADD', K.waiting(c.queue), c.score, member)
  c.member = member
end
