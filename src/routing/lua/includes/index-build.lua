-- Building the match index (index.lua) from the keys, and checking it against them (tests).

local function ix_sort_part(ix, p)
  local s, k = p.s, p.k
  local order = {}
  for i = 1, p.n do order[i] = i end
  table.sort(order, function(x, y)
    if s[x] ~= s[y] then return s[x] < s[y] end
    return lt_idx(k[x] % IX_IDX, k[y] % IX_IDX)
  end)
  local s2, k2 = {}, {}
  for i = 1, p.n do
    s2[i] = s[order[i]]
    k2[i] = k[order[i]]
  end
  p.s, p.k, p.limit = s2, k2, 2 * p.n + 64
  p.ver = p.ver + 1
end

-- The index of BASE from the keys: the queues' available sets (scores as filed) with the agents'
-- profiles, and the queues' lines with each call's class.
ix_build = function()
  local ix = ix_new()
  IX_BUILDS = IX_BUILDS + 1
  local queues = rcall('SMEMBERS', K.queues())
  if #queues > 0 then
    local strategies = rcall('HMGET', K.strategies(), unpack(queues))
    local filed = {}
    for i, q in ipairs(queues) do
      local strategy = strategies[i] or 'longest-idle'
      ix_queue(ix, q).strategy = strategy
      local m = rcall('ZRANGE', K.available(q), 0, -1, 'WITHSCORES')
      for j = 1, #m, 2 do
        local idx = tonumber(m[j])
        local f = table_at(filed, idx)
        f[#f + 1] = q
        f[#f + 1] = strategy
        f[#f + 1] = tonumber(m[j + 1])
      end
    end
    -- appended in any order (no limit reached: built in one go), then each part sorted once
    for idx, f in pairs(filed) do
      local id = rcall('HGET', K.agentIndex(), '#' .. idx)
      local v = id and rcall('HMGET', K.agent(id), 'skills', 'languages', 'queues')
      if v then
        ix.id[idx] = id
        ix.idxOf[id] = idx
        ix.aq[idx] = v[3] or ''
        ix_profile(ix, idx, v[1] or '', v[2] or '')
        ix.gen[idx] = 1
        local key = IX_IDX + idx
        for i = 1, #f, 3 do
          local qx = ix.q[f[i]]
          local best, score = f[i + 1] == 'best-skill', f[i + 2]
          local function add(name)
            local p = qx.parts[name]
            if not p then
              p = ix_new_part(0)
              qx.parts[name] = p
            end
            p.n = p.n + 1
            p.s[p.n] = score
            p.k[p.n] = key
          end
          add('')
          for name, level in string.gmatch(v[1] or '', '([^,:]+):([^,]*)') do
            add(best and (name .. ':' .. level) or name)
          end
        end
      end
    end
    for _, qx in pairs(ix.q) do
      for _, p in pairs(qx.parts) do ix_sort_part(ix, p) end
    end
    -- the lines are read in order, so each class is filled best first
    for _, q in ipairs(queues) do
      local qx = ix.q[q]
      local w = rcall('ZRANGE', K.waiting(q), 0, -1, 'WITHSCORES')
      for j = 1, #w, 2 do
        local v = rcall('HMGET', K.call(w[j]), 'class', 'skips', 'state', 'node', 'enq', 'plan', 'affAgent',
          'affUntil')
        if v[3] == 'waiting' and v[1] and v[1] ~= '' then
          local cl = ix_class(qx, v[1])
          ix.waiting = ix.waiting + 1
          cl.n = cl.n + 1
          cl.s[cl.n] = tonumber(w[j + 1])
          cl.c[cl.n] = w[j]
          if v[2] == '1' then ix.skip[w[j]] = true end
          local c = { id = w[j], queue = q, class = v[1], scoreN = cl.s[cl.n], node = v[4] or '',
            enq = tonumber(v[5]) or NOW, plan = v[6] or '', affAgent = v[7] or '', affUntil = v[8] or '' }
          -- a card only for a call still in the class of NOW (one whose step ended waits for its refile)
          local class, step, nextChange, stepEnds = class_at(c)
          if class == c.class then ix_card(ix, c, step, nextChange, stepEnds) end
        end
      end
      for class, cl in pairs(qx.cls) do ix_ci_set(qx, class, cl.s[1]) end
    end
  end
  ix_read_refile_at(ix)
  ix.stamp = ix_new_stamp()
  rcall('SET', K.indexStamp(), ix.stamp)
  -- forget the other key bases' indexes that are out of date (their keys changed or deleted):
  -- each is live heap the garbage collector walks on every run
  local here = BASE
  for base, other in pairs(IX_BASES) do
    BASE = base
    local current = other.stamp == rcall('GET', K.indexStamp())
    BASE = here
    if not current then ix_unkeep(base) end
  end
  if not IX_BASES[BASE] then IX_BASE_COUNT = IX_BASE_COUNT + 1 end
  IX_BASES[BASE] = ix
  if IX_BASE_COUNT > IX_MAX_BASES then
    -- forget the key base used least recently
    local oldest, at = nil, math.huge
    for base, other in pairs(IX_BASES) do
      if base ~= BASE and other.used < at then oldest, at = base, other.used end
    end
    if oldest then ix_unkeep(oldest) end
  end
  return ix
end

-- For tests: where the index of BASE disagrees with the keys (nothing when it agrees): each
-- queue's part '' against its available set (the same agents, scores and order); each skill part
-- (and skill-and-level part) holding, in order, exactly the free agents of the queue with that
-- skill (at that level); the profiles against the agents' hashes; each class against the callers
-- in line in it, and each part's class order against the classes' heads.
local function ix_check()
  local ix = ix_open(false)
  if not ix then return { 'no index' } end
  local errs = {}
  local function err(text) errs[#errs + 1] = text end
  local function before(s1, i1, s2, i2) return s1 < s2 or (s1 == s2 and lt_idx(i1, i2)) end
  local filedCalls = 0
  for _, q in ipairs(rcall('SMEMBERS', K.queues())) do
    local qx = ix.q[q] or { parts = {}, cls = {}, ci = {}, hs = {} }
    local m = rcall('ZRANGE', K.available(q), 0, -1, 'WITHSCORES')
    local free = {}
    local p = qx.parts['']
    local j = 1
    if p then
      for i = p.head, p.n do
        local key = p.k[i]
        if ix_valid(ix, key) then
          local idx = key % IX_IDX
          if tostring(idx) ~= m[j] or p.s[i] ~= tonumber(m[j + 1]) then
            err(q .. ': ' .. idx .. ' (' .. p.s[i] .. ') where the available set has ' .. tostring(m[j]))
          end
          free[idx] = true
          j = j + 2
        end
      end
    end
    if j <= #m then err(q .. ': ' .. m[j] .. ' is available but not in the index') end
    local want = {}
    for idx in pairs(free) do
      local id = rcall('HGET', K.agentIndex(), '#' .. idx)
      local v = rcall('HMGET', K.agent(id), 'skills', 'languages')
      if not ix_knows_profile(ix, idx, v[1] or '', v[2] or '') then err(id .. ': profile ' .. tostring(ix.psk[idx])) end
      for name, level in string.gmatch(v[1] or '', '([^,:]+):([^,]*)') do
        local part = qx.strategy == 'best-skill' and (name .. ':' .. level) or name
        want[part] = (want[part] or 0) + 1
      end
    end
    for name, part in pairs(qx.parts) do
      if name ~= '' then
        local skill, level = string.match(name, '^([^:]+):?(%d*)$')
        local n, ps, pi = 0, nil, nil
        for i = part.head, part.n do
          local key = part.k[i]
          if ix_valid(ix, key) then
            local idx = key % IX_IDX
            local lv = ix_level(ix, idx, skill)
            if not free[idx] or lv == 0 or (level ~= '' and lv ~= tonumber(level)) then
              err(q .. ': ' .. idx .. ' in part ' .. name)
            end
            if ps and not before(ps, pi, part.s[i], idx) then err(q .. ': part ' .. name .. ' out of order at ' .. idx) end
            ps, pi = part.s[i], idx
            n = n + 1
          end
        end
        if n ~= (want[name] or 0) then err(q .. ': part ' .. name .. ' holds ' .. n .. ' of ' .. (want[name] or 0)) end
        want[name] = nil
      end
    end
    for name, n in pairs(want) do err(q .. ': part ' .. name .. ' missing (' .. n .. ' agents)') end
    -- calls
    local inLine = {}
    local w = rcall('ZRANGE', K.waiting(q), 0, -1, 'WITHSCORES')
    for k = 1, #w, 2 do
      local v = rcall('HMGET', K.call(w[k]), 'class', 'node', 'enq')
      local class = v[1]
      local list = table_at(inLine, class)
      list[#list + 1] = w[k]
      -- its card, if it has one, says what its hash says
      local card = ix.card[w[k]]
      if card and (card[1] ~= q or card[2] ~= class or card[3] ~= tonumber(w[k + 1]) or card[4] ~= v[2] or
          card[5] ~= tonumber(v[3])) then
        err(q .. ': the card of ' .. w[k] .. ' differs from its hash')
      end
    end
    for class, cl in pairs(qx.cls) do
      local list = inLine[class] or {}
      if cl.n - cl.head + 1 ~= #list then err(q .. ': class ' .. class .. ' holds ' .. (cl.n - cl.head + 1) .. ' of ' .. #list) end
      for k = 1, #list do
        if cl.c[cl.head + k - 1] ~= list[k] then err(q .. ': class ' .. class .. ' has ' .. tostring(cl.c[cl.head + k - 1]) .. ' where the line has ' .. list[k]) end
      end
      if qx.hs[class] ~= cl.s[cl.head] then err(q .. ': class ' .. class .. ' head score') end
      inLine[class] = nil
    end
    for class in pairs(inLine) do err(q .. ': class ' .. class .. ' not in the index') end
    local classes, filed = 0, 0
    for _ in pairs(qx.cls) do classes = classes + 1 end
    for part, arr in pairs(qx.ci) do
      filed = filed + #arr
      for k = 1, #arr do
        local class = arr[k]
        if not qx.cls[class] or class_part(class) ~= part then err(q .. ': class ' .. class .. ' in part ' .. part) end
        if k > 1 then
          local a, b = qx.hs[arr[k - 1]], qx.hs[class]
          if not (a < b or (a == b and lt_bytes(arr[k - 1], class))) then err(q .. ': part ' .. part .. ' out of order') end
        end
      end
    end
    if filed ~= classes then err(q .. ': ' .. filed .. ' classes in the parts of ' .. classes) end
    for _, cl in pairs(qx.cls) do filedCalls = filedCalls + (cl.n - cl.head + 1) end
  end
  if filedCalls ~= ix.waiting then err(ix.waiting .. ' calls counted waiting, ' .. filedCalls .. ' filed') end
  return errs
end

-- For tests and diagnostics: what the index of BASE holds (nil when this instance has none).
local function ix_info()
  if ix_run == false then ix_run = nil end
  local ix = ix_open(false)
  if not ix then return { 'none', IX_BUILDS, 0, 0, math.floor(collectgarbage('count')), IX_REPAIRS } end
  local free, calls = 0, 0
  for _, g in pairs(ix.gen) do
    if g > 0 then free = free + 1 end
  end
  for _, qx in pairs(ix.q) do
    for _, cl in pairs(qx.cls) do calls = calls + (cl.n - cl.head + 1) end
  end
  return { 'built', IX_BUILDS, free, calls, math.floor(collectgarbage('count')), IX_REPAIRS }
end
