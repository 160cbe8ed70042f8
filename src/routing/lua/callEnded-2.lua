--[[
  A connected call ended (either side hung up). The call is completed (or failed: a callback
  whose customer did not answer); the agent's talk time and calls answered grow; when it was the
  agent's last call the agent goes to wrap-up until ARGV[5] seconds from now (straight on to
  available, or the state asked for meanwhile, when that is 0). The queue's average handle time
  (for estimated waits) moves toward this call's.

  Input:
    KEYS[1] call hash
    KEYS[2] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] agent id
    ARGV[5] wrap-up seconds
    ARGV[6] outcome: 'completed' or 'failed'

  Also touches: K.wrapUps, K.queueStats(queue), agent pools, K.nodeCalls(owner).
  Event: complete (or callback-failed), agent-state.
  Output: {'wrap-up', until}, {'free', state} or {'gone', state}.
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

local c = load_call(ARGV[3])
local id = ARGV[4]
if not c or c.state ~= 'connected' or c.agent ~= id then return { 'gone', c and c.state or 'unknown' } end
local talkMs = NOW - (tonumber(c.answeredAt) or NOW)
local wrapS = tonumber(ARGV[5])
call_move(c, ARGV[6])
rcall('HSET', c.key, 'endedAt', NOW)
call_final(c)
qlog(ARGV[6] == 'failed' and 'callback-failed' or 'complete', c.queue, c.id, id, NOW - c.enq, { talkMs = talkMs })

local a = load_agent(id)
unreserve(c, a)
a.calls = a.calls + 1
a.talk = a.talk + math.floor(talkMs / 1000 + 0.5)
rcall('HSET', K.agent(id), 'calls', a.calls, 'talk', a.talk)

local stats = K.queueStats(c.queue)
local handle = talkMs / 1000 + wrapS
local aht = tonumber(rcall('HGET', stats, 'aht'))
if aht then aht = aht * 0.9 + handle * 0.1 else aht = handle end
rcall('HSET', stats, 'aht', aht)
rcall('HINCRBY', stats, 'handled', 1)

if a.load > 0 then
  sync_pools(a)
  return { 'free', a.state }
end
agent_move(a, 'wrap-up', c.id)
if wrapS <= 0 then
  agent_free(a, 'available')
  qlog('wrap-up-end', c.queue, c.id, id, nil, { wrapMs = 0 })
  sync_pools(a)
  return { 'free', a.state }
end
local untilMs = NOW + wrapS * 1000
rcall('HSET', K.agent(id), 'wrapUntil', untilMs, 'wrapQueue', c.queue)
rcall('ZADD', K.wrapUps(), untilMs, id)
sync_pools(a)
return { 'wrap-up', untilMs }
