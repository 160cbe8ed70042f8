--[[
  An agent (or a supervisor) asks for a state: available, aux (with a reason code) or logged-out.
  Logging in resets the per-login figures (calls, talk time, misses). Asked while the agent is busy
  with a call (reserved, ringing, on-call), the request is kept and applied when the call's
  wrap-up ends. Ending wrap-up early is asking for `available` during wrap-up.

  Input:
    KEYS[1] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] agent id
    ARGV[4] requested state: 'available', 'aux' or 'logged-out'
    ARGV[5] reason code (aux) or ''

  Also touches: K.staffed(queue), K.available(queue), K.availableBits, K.wrapUps.
  Event: agent-state.
  Output: {'ok', state}, {'pending', state}, {'unknown'} or {'illegal', from, to}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"

local id, to, reason = ARGV[3], ARGV[4], ARGV[5]
local a = load_agent(id)
if not a then return { 'unknown' } end
local from = a.state

if from == 'reserved' or from == 'ringing' or from == 'on-call' then
  if to == 'available' then
    rcall('HSET', KEYS[1], 'pending', '')
  else
    rcall('HSET', KEYS[1], 'pending', to .. ':' .. reason)
  end
  return { 'pending', from }
end
if from == to and to ~= 'aux' then return { 'ok', from } end
if not agent_move(a, to, reason) then return { 'illegal', from, to } end

rcall('ZREM', K.wrapUps(), id)
rcall('HSET', KEYS[1], 'pending', '')
if from == 'logged-out' then
  -- (nothing held at log-in: a decision takes a free agent's load of 0 to mean it holds no call)
  rcall('HSET', KEYS[1], 'loginAt', NOW, 'calls', 0, 'talk', 0, 'missed', 0, 'load', 0, 'holding', '')
  a.calls, a.talk, a.missed, a.load, a.holding = 0, 0, 0, 0, ''
  for _, q in ipairs(a.qlist) do rcall('SADD', K.staffed(q), id) end
end
if to == 'logged-out' then
  for _, q in ipairs(a.qlist) do rcall('SREM', K.staffed(q), id) end
end
if to == 'available' then
  a.idle = NOW
  rcall('HSET', KEYS[1], 'idle', NOW, 'missed', 0)
end
sync_pools(a)
return { 'ok', to }
