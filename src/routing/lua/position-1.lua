--[[
  Where a call stands, for the IVR's announcements: its place in line (1 = next; 0 when an agent
  is already being rung), the logged-in and available agents of its queue, and the queue's
  average handle time (seconds, '' before any call was handled).

  Input:
    KEYS[1] call hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id

  Output: {state, position, staffed, available, aht}.
]]
--- @include "prologue"
--- @include "keys"

local v = rcall('HMGET', KEYS[1], 'state', 'queue')
if not v[1] then return { 'unknown', 0, 0, 0, '' } end
local position = 0
if v[1] == 'waiting' then
  local rank = rcall('ZRANK', K.waiting(v[2]), ARGV[3])
  if rank then position = rank + 1 end
end
return { v[1], position, rcall('SCARD', K.staffed(v[2])), rcall('ZCARD', K.available(v[2])),
  rcall('HGET', K.queueStats(v[2]), 'aht') or '' }
