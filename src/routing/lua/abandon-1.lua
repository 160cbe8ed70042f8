--[[
  The caller hung up (or their node is gone) before talking to an agent: the call leaves the
  line, any agent reserved or ringing for it is released without counting a miss.

  Input:
    KEYS[1] call hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] reason ('hangup', 'node-lost', ...)

  Also touches: the queue's waiting and class sets, K.refiles, K.reservations, agent pools, K.nodeCalls(owner).
  Event: abandon, release, agent-state.
  Output: {'abandoned', releasedAgentId...}, {'connected', agentId} (not an abandon: end the
  call instead) or {'gone', state}.
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
if not c then return { 'gone', 'unknown' } end
if c.state == 'connected' then return { 'connected', c.agent } end
if c.state ~= 'waiting' and c.state ~= 'offered' then return { 'gone', c.state } end
local out = { 'abandoned' }
if c.state == 'waiting' then
  leave_line(c)
else
  for _, id in ipairs(c.alist) do
    release_agent(c, id, false, 0)
    qlog('release', c.queue, c.id, id, NOW - c.enq, nil)
    out[#out + 1] = id
  end
end
call_move(c, 'abandoned')
rcall('HSET', c.key, 'endedAt', NOW, 'agents', '')
call_final(c)
qlog('abandon', c.queue, c.id, nil, NOW - c.enq, { reason = ARGV[4], mode = c.mode })
return out
