--[[
  The call's routing steps ran out (or it waited the queue's max wait): it leaves the line for the
  queue's overflow target. Only a waiting call overflows; one being offered is left to ring (the
  owner retries when the offer ends).

  Input:
    KEYS[1] call hash
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] target, as JSON ({"queue":"general"}, {"voicemail":true}, ...)

  Also touches: the queue's waiting and class sets, K.refiles, K.nodeCalls(owner).
  Event: overflow.
  Output: {'overflowed'}, {'offered'} or {'gone', state}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "util"
--- @include "eligible"
--- @include "call"

local c = load_call(ARGV[3])
if not c then return { 'gone', 'unknown' } end
if c.state == 'offered' then return { 'offered' } end
if c.state ~= 'waiting' then return { 'gone', c.state } end
leave_line(c)
call_move(c, 'overflowed')
rcall('HSET', c.key, 'endedAt', NOW, 'overflow', ARGV[4])
call_final(c)
qlog('overflow', c.queue, c.id, nil, NOW - c.enq, { target = cjson.decode(ARGV[4]), mode = c.mode })
return { 'overflowed' }
