--[[
  A caller joins a queue. Refused when the queue is unknown, full, or (unless it accepts callers
  then) has no agent logged in. Enqueuing a call already in line changes nothing.

  Input:
    KEYS[1] call hash (K.call(callId))
    KEYS[2] queue hash (K.queue(queue))
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] call id
    ARGV[4] queue
    ARGV[5] plan: `until1|requirement1|until2|requirement2...` (ms since the epoch)
    ARGV[6] score in line (priority, then time of arrival)
    ARGV[7] priority
    ARGV[8] owner node id
    ARGV[9] caller's channel id ('' for a callback)
    ARGV[10] mode: 'caller' or 'callback'
    ARGV[11] callback number or ''
    ARGV[12] language or ''
    ARGV[13] previous agent for affinity, or ''
    ARGV[14] end of the affinity window (ms), or 0
    ARGV[15] when the call joined the line (ms: the time the plan's steps count from), or '' for now

  Also touches: K.waiting(queue), K.classWaiting(queue, class), K.classIndex(queue, part), K.refiles,
  K.staffed(queue), K.nodeCalls(node), K.eligible, K.eligibleSet.
  Event: enqueue.
  Output: {'queued', position}, {'exists', state} or {'rejected', reason}.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "util"
--- @include "eligible"
--- @include "call"

local callId, queue = ARGV[3], ARGV[4]
local q = rcall('HMGET', KEYS[2], 'maxSize', 'joinEmpty')
if not q[1] then return { 'rejected', 'unknown-queue' } end
local state = rcall('HGET', KEYS[1], 'state')
if state and state ~= 'completed' and state ~= 'abandoned' and state ~= 'overflowed' and state ~= 'failed' then
  return { 'exists', state }
end
if rcall('ZCARD', K.waiting(queue)) >= tonumber(q[1]) then return { 'rejected', 'queue-full' } end
if q[2] ~= '1' and rcall('SCARD', K.staffed(queue)) == 0 then return { 'rejected', 'no-agents' } end

rcall('DEL', KEYS[1], K.skipped(callId))
-- the wait a call's log entries report counts from the moment its plan's steps count from (the
-- node's clock when it joined), so a step of 3 s has been waited 3 s when it ends
local enq = (ARGV[15] and ARGV[15] ~= '') and ARGV[15] or NOW_S
-- a small hash is a list Redis searches from the front for each field read or written: first what
-- a decision reads and writes (the state; the agents offered and when, reserve.lua), then what a
-- decision reads when the match index holds no card for the call (call.lua's load_waiting_call)
rcall('HSET', KEYS[1], 'state', 'waiting', 'agents', '', 'offeredAt', '', 'queue', queue, 'score', ARGV[6],
  'node', ARGV[8], 'enq', enq, 'class', '', 'plan', ARGV[5], 'affAgent', ARGV[13], 'affUntil', ARGV[14],
  'skips', '', 'id', callId, 'priority', ARGV[7], 'channel', ARGV[9], 'mode', ARGV[10], 'number', ARGV[11],
  'language', ARGV[12], 'agent', '')
rcall('SADD', K.nodeCalls(ARGV[8]), callId)
local c = load_call(callId)
line_up(c)
qlog('enqueue', queue, callId, nil, 0, { priority = tonumber(ARGV[7]), mode = ARGV[10], language = ARGV[12] })
return { 'queued', rcall('ZRANK', K.waiting(queue), callId) + 1 }
