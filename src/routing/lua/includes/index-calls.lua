-- The match index's waiting calls (index.lua): each queue's requirement classes, best caller
-- first, in parts by first skill ordered by their head's score; a waiting call's card; the
-- earliest refile time; the best call of a class for an agent.

-- A class's calls from `head`: s scores, c ids (false once left), best first.
local function ix_class_pos(cl, score, id)
  local s, c = cl.s, cl.c
  local lo, hi = cl.head, cl.n + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local other = s[mid]
    if other < score or (other == score and lt_bytes(c[mid], id)) then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- The position of `class` (head score `score`) in a part's class order.
local function ix_ci_pos(qx, arr, score, class)
  local lo, hi = 1, #arr + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local other = arr[mid]
    local os = qx.hs[other]
    if os < score or (os == score and lt_bytes(other, class)) then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- The class's head score is now `score` (nil: empty): moves it in its part's class order.
local function ix_ci_set(qx, class, score)
  local old = qx.hs[class]
  if old == score then return end
  local part = class_part(class)
  local arr = table_at(qx.ci, part)
  if old ~= nil then
    local pos = ix_ci_pos(qx, arr, old, class)
    if arr[pos] == class then table.remove(arr, pos) end
  end
  qx.hs[class] = score
  if score ~= nil then table.insert(arr, ix_ci_pos(qx, arr, score, class), class) end
end

local function ix_class_add(ix, q, class, id, score, skips)
  local qx = ix_queue(ix, q)
  local cl = ix_class(qx, class)
  ix.skip[id] = skips or nil
  local pos = ix_class_pos(cl, score, id)
  if pos <= cl.n and cl.c[pos] == id then return end
  ix.waiting = ix.waiting + 1
  if pos > cl.n then
    cl.s[pos] = score
    cl.c[pos] = id
    cl.n = pos
  elseif pos == cl.head and pos > 1 then
    pos = pos - 1
    cl.head = pos
    cl.s[pos] = score
    cl.c[pos] = id
  else
    table.insert(cl.s, pos, score)
    table.insert(cl.c, pos, id)
    cl.n = cl.n + 1
  end
  if pos == cl.head then ix_ci_set(qx, class, score) end
end

-- Takes a call out of its class: true when it was there, then whether the class's head moved
-- and its new head score (nil: the class is empty).
local function ix_class_remove(ix, q, class, id, score)
  ix.skip[id] = nil
  ix.card[id] = nil
  local qx = ix.q[q]
  local cl = qx and qx.cls[class]
  if not cl then return false end
  local pos = score and ix_class_pos(cl, score, id)
  if not pos or pos > cl.n or cl.c[pos] ~= id then
    -- not where its score says (the index is behind the keys): look for it
    pos = nil
    for i = cl.head, cl.n do
      if cl.c[i] == id then
        pos = i
        break
      end
    end
    if not pos then return false end
  end
  ix.waiting = ix.waiting - 1
  if pos == cl.head then
    cl.c[pos] = false
    cl.head = pos + 1
    if cl.head > cl.n then
      qx.cls[class] = nil
      ix_ci_set(qx, class, nil)
      return true, true, nil
    end
    if cl.head > 64 and cl.head > cl.n - cl.head then
      -- drop the left front
      local s, c, n = {}, {}, 0
      for i = cl.head, cl.n do
        n = n + 1
        s[n] = cl.s[i]
        c[n] = cl.c[i]
      end
      cl.s, cl.c, cl.head, cl.n = s, c, 1, n
    end
    local head = cl.s[cl.head]
    ix_ci_set(qx, class, head)
    return true, true, head
  end
  table.remove(cl.s, pos)
  table.remove(cl.c, pos)
  cl.n = cl.n - 1
  return true, false, nil
end

-- A waiting call's card: what a decision needs of it that stays as it is while the call waits in
-- its class, so that a decision reads only the call's state from its hash (call.lua's
-- load_waiting_call): { queue, class, score, owner node, enq, until, step }, `until` the time its
-- class or step may change (false: never). Those fields change only where the call is lined up
-- again (line_up files a new card; another copy of the library doing so moves the stamp) or
-- where the card is dropped (ix_card_drop); what takes a call out of line is seen in its state.
-- `step`, `nextChange`, `stepEnds`: class_at's answer for c's class (c.class) at NOW.
local function ix_card(ix, c, step, nextChange, stepEnds)
  local until_ = nextChange or false
  if stepEnds and (not until_ or stepEnds < until_) then until_ = stepEnds end
  ix.card[c.id] = { c.queue, c.class, call_score(c), c.node, c.enq, until_, step }
end

-- Call c was lined up in c.class: class_at's other answers (call.lua's line_up) make its card.
ix_call_in = function(c, step, nextChange, stepEnds)
  local ix = ix_open(true)
  ix_touch()
  if not ix then return end
  ix_class_add(ix, c.queue, c.class, c.id, call_score(c), c.skips == '1')
  ix_card(ix, c, step, nextChange, stepEnds)
end

-- Call `id` changed in a way its card does not follow (its owner node): the next decision reads
-- its hash.
ix_card_drop = function(id)
  local ix = ix_open(false)
  if ix then ix.card[id] = nil end
end

-- A call was filed in K.refiles at `at` (call.lua's line_up and refile).
ix_refiles_at = function(at)
  local ix = ix_open(false)
  if ix and at < ix.refileAt then ix.refileAt = at end
end

-- The earliest time in K.refiles as the index's `refileAt`.
local function ix_read_refile_at(ix)
  local first = rcall('ZRANGE', K.refiles(), 0, 0, 'WITHSCORES')
  ix.refileAt = first[2] and tonumber(first[2]) or math.huge
end

-- call.lua's refile_due, read only when a call's step may have ended: the index knows no call's
-- can before `refileAt` (every run that files one in K.refiles tells it; one of another copy of
-- the library moves the stamp, and the index built again reads K.refiles).
local function ix_refile_due(limit)
  local ix = ix_open(false)
  if ix and NOW < ix.refileAt then return end
  refile_due(limit)
  if ix then ix_read_refile_at(ix) end
end

ix_call_out = function(c)
  local ix = ix_open(false)
  if not ix then return false end
  return ix_class_remove(ix, c.queue, c.class, c.id, call_score(c))
end

-- The first call of class `cl` that agent `agentId` may take (not skipped for it), within the
-- first 64 as a read of the class's set would go: id, score, whether it is the head.
local function ix_best_in_class(ix, cl, agentId)
  if not cl then return nil end
  local last = math.min(cl.n, cl.head + 63)
  for i = cl.head, last do
    local callId = cl.c[i]
    if not ix.skip[callId] or rcall('SISMEMBER', K.skipped(callId), agentId) == 0 then
      return callId, cl.s[i], i == cl.head
    end
  end
  return nil
end

-- A call found in the index is not as the index says: file it as its hash says (or drop it).
local function ix_repair_call(ix, q, class, id, score, c)
  IX_REPAIRS = IX_REPAIRS + 1
  ix_class_remove(ix, q, class, id, score)
  if c and c.state == 'waiting' and c.class ~= '' and tonumber(c.score) then
    ix_class_add(ix, c.queue, c.class, c.id, tonumber(c.score), c.skips == '1')
  end
end
