--[[
  A waiting caller asks to be called back instead of holding: the call stays in line at its place
  (its score only improves, to the queue's callback priority), without a caller channel; when an
  agent takes it, the owner node rings the agent first and then the customer's number.

  Input:
    KEYS[1] call hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] number to call back
    ARGV[5] the queue's callback priority

  Also touches: the queue's waiting and class sets, K.refiles.
  Event: callback.
  Output: {'callback', position} or {'not-waiting', state}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "util"
--- @include "eligible"
--- @include "call"

local c = load_call(ARGV[3])
if not c then return { 'not-waiting', 'unknown' } end
if c.state ~= 'waiting' then return { 'not-waiting', c.state } end
local priority = math.max(tonumber(c.priority) or 0, tonumber(ARGV[5]))
local score = math.min(tonumber(c.score), (99 - priority) * 1e13 + c.enq)
rcall('HSET', c.key, 'mode', 'callback', 'number', ARGV[4], 'channel', '', 'priority', priority, 'score', score)
leave_line(c)
c.score, c.scoreN = score, score
line_up(c)
qlog('callback', c.queue, c.id, nil, NOW - c.enq, { number = ARGV[4] })
return { 'callback', rcall('ZRANK', K.waiting(c.queue), c.id) + 1 }
