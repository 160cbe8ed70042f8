--[[
  Housekeeping any node may run at any time (each runs it every second or so); it is what keeps
  the shared state right when a node dies:
  - records this node's heartbeat;
  - reservations past their deadline (the owner never dialled, or never reported the result):
    the agent is free again (no miss counted) and the call back in line;
  - waiting calls whose routing step or affinity window has ended move to their new class (the
    owner node does it on time; this covers a late or dead owner), and are returned to dispatch;
  - wrap-ups that have ended: the agent becomes available (or the state asked for meanwhile);
  - calls owned by a node silent for longer than ARGV[5] ms: callers' calls are abandoned (the
    channel went with the node), callbacks are adopted by this node.

  Input:
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] this node's id
    ARGV[4] most items of each kind handled in one run
    ARGV[5] a node silent this long (ms) is gone

  Event: no-answer (reason expired), requeue, wrap-up-end, abandon (reason node-lost), agent-state.
  Output: {agentsNowAvailable..., '|', callsToDispatch...} ; callsToDispatch are calls requeued or
  adopted (the caller dispatches them).
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"
--- @include "call"
--- @include "reserve"

local node, limit, silence = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
rcall('ZADD', K.nodes(), NOW, node)
local freed, calls = {}, {}

for _, r in ipairs(rcall('ZRANGEBYSCORE', K.reservations(), '-inf', NOW, 'LIMIT', 0, limit)) do
  local space = string.find(r, ' ', 1, true)
  local callId, id = string.sub(r, 1, space - 1), string.sub(r, space + 1)
  rcall('ZREM', K.reservations(), r)
  local c = load_call(callId)
  if c and c.state == 'offered' and contains(c.alist, id) then
    release_agent(c, id, false, 0)
    qlog('no-answer', c.queue, c.id, id, NOW - c.enq, { reason = 'expired' })
    local rest = {}
    for _, other in ipairs(c.alist) do if other ~= id then rest[#rest + 1] = other end end
    if #rest > 0 then
      rcall('HSET', c.key, 'agents', table.concat(rest, ','))
    else
      requeue(c, nil)
      qlog('requeue', c.queue, c.id, nil, NOW - c.enq, nil)
      calls[#calls + 1] = c.id
    end
    freed[#freed + 1] = id
  end
end

for _, callId in ipairs(refile_due(limit)) do calls[#calls + 1] = callId end

for _, id in ipairs(rcall('ZRANGEBYSCORE', K.wrapUps(), '-inf', NOW, 'LIMIT', 0, limit)) do
  rcall('ZREM', K.wrapUps(), id)
  local a = load_agent(id)
  if a and a.state == 'wrap-up' then
    local wrapStarted = a.since
    local q = rcall('HGET', K.agent(id), 'wrapQueue')
    agent_free(a, 'available')
    sync_pools(a)
    qlog('wrap-up-end', q, nil, id, nil, { wrapMs = NOW - wrapStarted })
    if a.state == 'available' then freed[#freed + 1] = id end
  end
end

for _, other in ipairs(rcall('ZRANGEBYSCORE', K.nodes(), '-inf', NOW - silence, 'LIMIT', 0, limit)) do
  if other ~= node then
    for _, callId in ipairs(rcall('SRANDMEMBER', K.nodeCalls(other), limit)) do
      local c = load_call(callId)
      if not c then
        rcall('SREM', K.nodeCalls(other), callId)
      elseif c.mode == 'callback' and c.state == 'waiting' then
        rcall('HSET', K.call(callId), 'node', node)
        ix_card_drop(callId)
        rcall('SMOVE', K.nodeCalls(other), K.nodeCalls(node), callId)
        calls[#calls + 1] = callId
      elseif c.state == 'waiting' or c.state == 'offered' then
        if c.state == 'waiting' then
          leave_line(c)
        else
          for _, id in ipairs(c.alist) do release_agent(c, id, false, 0) freed[#freed + 1] = id end
        end
        call_move(c, 'abandoned')
        rcall('HSET', c.key, 'endedAt', NOW)
        call_final(c)
        qlog('abandon', c.queue, c.id, nil, NOW - c.enq, { reason = 'node-lost', mode = c.mode })
      elseif c.state == 'connected' then
        -- nobody controls this conversation any more: end it, the agent is free at once
        call_move(c, 'completed')
        rcall('HSET', c.key, 'endedAt', NOW)
        call_final(c)
        qlog('complete', c.queue, c.id, c.agent, NOW - c.enq, { reason = 'node-lost' })
        local a = load_agent(c.agent)
        if a then
          unreserve(c, a)
          if a.load == 0 and agent_move(a, 'wrap-up', c.id) then agent_free(a, 'available') end
          sync_pools(a)
          freed[#freed + 1] = a.id
        end
      else
        rcall('SREM', K.nodeCalls(other), callId)
      end
    end
    if rcall('SCARD', K.nodeCalls(other)) == 0 then
      rcall('ZREM', K.nodes(), other)
      rcall('DEL', K.offers(other))
    end
  end
end

local out = {}
for _, id in ipairs(freed) do out[#out + 1] = id end
out[#out + 1] = '|'
for _, id in ipairs(calls) do out[#out + 1] = id end
return out
