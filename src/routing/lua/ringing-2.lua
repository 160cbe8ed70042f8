--[[
  The owner node has dialled the agent: reserved → ringing, and the reservation now expires at
  the end of the ring time (plus grace) instead of the reserve deadline.

  Input:
    KEYS[1] call hash
    KEYS[2] agent hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] agent id
    ARGV[5] when the reservation expires (ms)

  Event: ring, agent-state.
  Output: 'ringing' or {'gone', reason}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"
--- @include "call"

local c = load_call(ARGV[3])
if not c or c.state ~= 'offered' or not contains(c.alist, ARGV[4]) then return { 'gone', c and c.state or 'unknown' } end
local a = load_agent(ARGV[4])
if a.state == 'reserved' then agent_move(a, 'ringing', c.id) end
rcall('ZADD', K.reservations(), 'XX', tonumber(ARGV[5]), c.id .. ' ' .. a.id)
qlog('ring', c.queue, c.id, a.id, NOW - c.enq, nil)
return 'ringing'
