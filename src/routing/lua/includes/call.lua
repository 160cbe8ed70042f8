-- Calls in a queue. A waiting call is in its queue's `waiting` set (for its place in line), its
-- hash names its current requirement class, and the match index (index.lua) files it in that
-- class for agent-driven decisions. Where there is no match index (EVAL: a Redis without
-- functions) the keys stand in for it: the call is in the set of its class (K.classWaiting) and
-- the queue's class index (K.classIndex, one part per first skill) holds each class scored by its
-- best caller, so a free agent looks at classes it may meet, not callers. With the library, which
-- never reads those two (a decision walks the index, and the index is built from the lines and
-- the hashes), they are not kept: one or two of the seven commands of a booking. A key base is
-- not shared between the two (a Redis 7 data set does not load into a Redis without functions).
-- A call's plan is `until1|req1|until2|req2...` (requirement.ts); its class at a given time is the
-- step's requirement, or `@<agent>` during an affinity window.

local CALL_FIELDS = { 'state', 'queue', 'score', 'node', 'enq', 'agents', 'agent', 'mode', 'answeredAt',
  'priority', 'class', 'plan', 'affAgent', 'affUntil', 'skips' }

-- `key`: the hash's key, made once for the reads and writes of the run.
local function load_call(id)
  local key = K.call(id)
  local v = rcall('HMGET', key, unpack(CALL_FIELDS))
  if not v[1] then return nil end
  -- one constructor: the table is sized once instead of growing field by field
  local c = {
    id = id, key = key, state = v[1], queue = v[2] or '', score = v[3] or '', node = v[4] or '', enq = tonumber(v[5]) or NOW,
    agents = v[6] or '', agent = v[7] or '', mode = v[8] or '', answeredAt = v[9] or '', priority = v[10] or '',
    class = v[11] or '', plan = v[12] or '', affAgent = v[13] or '', affUntil = v[14] or '', skips = v[15] or '',
    alist = false,
  }
  c.alist = split(c.agents, ',')
  return c
end

-- The fields a decision about a waiting call needs are the HMGET's below (each field read costs).

-- A pooled record (util.lua's rec_take): every field any code sets on it is set here. `scoreN`:
-- the score as a number (tonumber costs two string-to-number conversions); code that changes a
-- record's score changes it too (call_score reads it). A call the match index files with its card
-- (index-calls.lua's ix_card: what stays fixed while it waits in its class) is read from the card
-- and its hash's state only, until the card's class may change (`until`); `step` is then the
-- card's step, and class_at answers from the card. Otherwise the hash is read, `step` is false.
local function load_waiting_call(id)
  local key = K.call(id)
  local ix = ix_open(false)
  local card = ix and ix.card[id]
  if card and (not card[6] or NOW < card[6]) then
    local state = rcall('HGET', key, 'state')
    if not state then return nil end
    local c = rec_take(call_recs)
    c.id, c.key, c.state, c.queue, c.score, c.scoreN = id, key, state, card[1], card[3], card[3]
    c.node, c.enq, c.class, c.plan, c.affAgent, c.affUntil = card[4], card[5], card[2], '', '', ''
    c.skips, c.atHead, c.step, c.until_ = ix.skip[id] and '1' or '', false, card[7], card[6]
    return c
  end
  local v = rcall('HMGET', key, 'state', 'queue', 'score', 'node', 'enq', 'class', 'plan', 'affAgent', 'affUntil',
    'skips')
  if not v[1] then return nil end
  local c = rec_take(call_recs)
  -- score and enq by arithmetic, as load_agent_for_decision's numbers
  local score, enq = v[3], v[5]
  c.id, c.key, c.state, c.queue, c.score, c.scoreN = id, key, v[1], v[2] or '', score or '', score and score + 0
  c.node, c.enq, c.class, c.plan, c.affAgent = v[4] or '', enq and enq + 0 or NOW, v[6] or '', v[7] or '', v[8] or ''
  c.affUntil, c.skips, c.atHead, c.step, c.until_ = v[9] or '', v[10] or '', false, false, false
  return c
end

-- A call record's score as a number (a waiting call's record has it made).
local function call_score(c)
  return c.scoreN or tonumber(c.score)
end

local function call_move(c, to)
  if not (CALL_MOVES[c.state] and CALL_MOVES[c.state][to]) then return false end
  rcall('HSET', c.key, 'state', to)
  c.state = to
  return true
end

-- The class at NOW, the step's index (0-based), when the class changes next (or nil) and when the
-- step ends (or nil: during an affinity window the class changes when the window ends, while the
-- step may end before). The plan is read in place, pair by pair (`until|requirement`,
-- encodePlan), without splitting it. A record read from its index card answers from the card.
local function class_at(c)
  if c.step then return c.class, c.step, c.until_ or nil, c.until_ or nil end
  local plan, find, sub = c.plan, string.find, string.sub
  local req, step, nextChange = nil, -1, nil
  local pos, k = 1, 0
  while true do
    local bar = find(plan, '|', pos, true)
    if not bar then break end
    local after = find(plan, '|', bar + 1, true)
    local untilMs = tonumber(sub(plan, pos, bar - 1))
    req, step = sub(plan, bar + 1, after and after - 1 or -1), k
    if untilMs and NOW < untilMs then
      nextChange = untilMs
      break
    end
    if not after then break end
    pos, k = after + 1, k + 1
  end
  if c.affAgent ~= '' then
    local affUntil = tonumber(c.affUntil) or 0
    if NOW < affUntil then return '@' .. c.affAgent, step, affUntil, nextChange end
  end
  return req, step, nextChange, nextChange
end

-- The part of the queue's class index a class belongs to: its first skill, or '' for a class
-- asking no skill and for an affinity window (`@agent`: any agent reads that part, and few calls
-- are in one). Pure, so kept between calls.
local class_parts, class_parts_count = {}, 0
local function class_part(class)
  local part = class_parts[class]
  if part then return part end
  part = not is_affinity(class) and string.match(class, '^[^/]*/([^:,]+):') or ''
  if class_parts_count >= CACHE_MAX then class_parts, class_parts_count = {}, 0 end
  class_parts[class] = part
  class_parts_count = class_parts_count + 1
  return part
end

-- Keeps the queue's class index right after the class's members changed.
local function fix_class_head(q, class)
  local head = rcall('ZRANGE', K.classWaiting(q, class), 0, 0, 'WITHSCORES')
  if head[1] then
    rcall('ZADD', K.classIndex(q, class_part(class)), head[2], class)
  else
    rcall('ZREM', K.classIndex(q, class_part(class)), class)
  end
end

-- The same after `score` left the class: only a call at the head (or tied with it) moves the
-- head, and most calls that leave are not at the head (one read instead of a read and a write).
local function fix_class_head_after(q, class, score)
  local head = rcall('ZSCORE', K.classIndex(q, class_part(class)), class)
  if head and tonumber(score) > tonumber(head) then return end
  fix_class_head(q, class)
end

-- Files call c in K.refiles at `nextChange` (when its class or step changes next; the match index
-- learns the time), or takes it out when nothing will change.
local function refile_at(c, nextChange)
  if nextChange then
    rcall('ZADD', K.refiles(), nextChange, c.id)
    ix_refiles_at(nextChange)
  else
    rcall('ZREM', K.refiles(), c.id)
  end
end

-- Puts a call in line (in its queue and in its class at NOW), keeping its score.
local function line_up(c)
  local class, step, nextChange, stepEnds = class_at(c)
  if not is_affinity(class) then eligible_key(class) end
  rcall('ZADD', K.waiting(c.queue), c.score, c.id)
  if not IX_ON then
    rcall('ZADD', K.classWaiting(c.queue, class), c.score, c.id)
    -- LT: the class's score becomes this call's only if it is now the best (or the class is new)
    rcall('ZADD', K.classIndex(c.queue, class_part(class)), 'LT', c.score, class)
  end
  rcall('HSET', c.key, 'class', class)
  c.class = class
  ix_call_in(c, step, nextChange, stepEnds)
  refile_at(c, nextChange)
end

-- Takes a call out of line (reserved, abandoned, overflowed). Its K.refiles entry, if any, goes
-- when it falls due (refile_due skips calls no longer waiting).
-- `final`: the call leaves for good in this run (reserved), so in a run of several decisions its
-- removal from the queue's line, which no decision reads, joins the others' (RUN_WRITES).
local function leave_line(c, final)
  if final and RUN_WRITES then
    local ids = run_queue_list(RUN_WRITES.lines, c.queue)
    ids[#ids + 1] = c.id
  else
    rcall('ZREM', K.waiting(c.queue), c.id)
  end
  if c.class == '' then return end
  if IX_ON then
    ix_call_out(c)
    return
  end
  -- without a match index: the class's set, and the class index if the class's head moved
  rcall('ZREM', K.classWaiting(c.queue, c.class), c.id)
  -- a caller known to be at the head (`atHead`, set by the one who found it there) moves it
  if c.atHead then
    fix_class_head(c.queue, c.class)
  else
    fix_class_head_after(c.queue, c.class, c.score)
  end
end

-- Moves a waiting call to the class of NOW when its step or affinity window has ended.
local function refile(c)
  local class, _, nextChange = class_at(c)
  if class ~= c.class then
    leave_line(c)
    line_up(c)
  else
    refile_at(c, nextChange)
  end
end

-- Refiles up to `limit` calls whose step or affinity window ended by NOW; returns their ids.
local function refile_due(limit)
  local done = {}
  for _, callId in ipairs(rcall('ZRANGEBYSCORE', K.refiles(), '-inf', NOW, 'LIMIT', 0, limit)) do
    local c = load_call(callId)
    if c and c.state == 'waiting' then
      refile(c)
      done[#done + 1] = callId
    else
      rcall('ZREM', K.refiles(), callId)
    end
  end
  return done
end

-- A call that ends for good: out of its owner's set, hash kept an hour for the API, no skips.
local function call_final(c)
  rcall('SREM', K.nodeCalls(c.node), c.id)
  rcall('DEL', K.skipped(c.id))
  rcall('ZREM', K.refiles(), c.id)
  rcall('EXPIRE', c.key, 3600)
end
