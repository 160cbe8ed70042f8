-- Calls in a queue: the member of the waiting set carries the call's plan
-- (`callId|skipped|affinityAgent|affinityUntil|until1|req1|until2|req2...`, see requirement.ts),
-- so a script can judge a waiting call without reading its hash.

local CALL_FIELDS = { 'state', 'queue', 'member', 'score', 'node', 'enq', 'agents', 'agent', 'mode',
  'answeredAt', 'priority' }

local function load_call(id)
  local v = rcall('HMGET', K.call(id), unpack(CALL_FIELDS))
  if not v[1] then return nil end
  local c = { id = id }
  for i, f in ipairs(CALL_FIELDS) do c[f] = v[i] or '' end
  c.enq = tonumber(c.enq) or NOW
  c.alist = split(c.agents, ',')
  return c
end

local function call_move(c, to)
  if not (CALL_MOVES[c.state] and CALL_MOVES[c.state][to]) then return false end
  rcall('HSET', K.call(c.id), 'state', to)
  c.state = to
  return true
end

-- The requirement in force at NOW and the step's index (0-based); past the last step, the last.
local function requirement_at(f)
  local n = #f
  local step = 0
  for i = 5, n - 1, 2 do
    if NOW < tonumber(f[i]) then return f[i + 1], step end
    step = step + 1
  end
  return f[n], step - 1
end

-- Whether an affinity window holds the call for one agent at NOW: that agent's id, else nil.
local function affinity_agent(f)
  if f[3] ~= '' and NOW < tonumber(f[4]) then return f[3] end
  return nil
end

-- A call that ends for good: out of its owner's set, hash kept an hour for the API, no skips.
local function call_final(c)
  rcall('SREM', K.nodeCalls(c.node), c.id)
  rcall('DEL', K.skipped(c.id))
  rcall('EXPIRE', K.call(c.id), 3600)
end
